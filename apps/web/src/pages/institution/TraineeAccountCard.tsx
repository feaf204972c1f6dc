import { useCallback, useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, Popconfirm, Space, Tag, Typography } from 'antd';
import { toApiError, type ApiError } from '../../api/errors';
import { showFieldErrors } from '../../api/field-errors';
import { createTraineeAccount, fetchTraineeAccount, resetTraineePassword, type Trainee, type TraineeAccount } from '../../api/identity';
import { useRequest } from '../../api/use-request';
import { InitialPasswordModal, type ShownPassword } from '../shared/InitialPasswordModal';
import { LoadError } from '../shared/LoadError';
import { USERNAME_RULES } from '../shared/username';

type AccountUser = NonNullable<TraineeAccount['user']>;

function accountStatus(user: AccountUser): { color: string; text: string } {
  if (user.disabled) return { color: 'red', text: '已停用' };
  if (user.mustChangePassword) return { color: 'orange', text: '待首次登录修改密码' };
  return { color: 'green', text: '正常' };
}

/**
 * The trainee's login: opened here by the institution (a random initial password, shown once), then
 * shown with its status and a password reset — the login page sends trainees who forgot it here.
 */
export function TraineeAccountCard({ trainee }: { trainee: Trainee }) {
  const load = useCallback((signal: AbortSignal) => fetchTraineeAccount(trainee.id, signal), [trainee.id]);
  const account = useRequest(load);
  const [shown, setShown] = useState<ShownPassword>();

  return (
    <Card title="登录账号" data-testid="trainee-account">
      {account.error ? (
        <LoadError title="登录账号加载失败" error={account.error} onRetry={account.reload} />
      ) : account.data?.user ? (
        <ExistingAccount user={account.data.user} traineeId={trainee.id} onReset={setShown} />
      ) : account.data ? (
        <OpenAccount trainee={trainee} onOpened={(opened) => { setShown(opened); account.reload(); }} />
      ) : null}
      <InitialPasswordModal shown={shown} onClose={() => setShown(undefined)} />
    </Card>
  );
}

function ExistingAccount({ user, traineeId, onReset }: { user: AccountUser; traineeId: string; onReset: (shown: ShownPassword) => void }) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const status = accountStatus(user);
  const reset = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await resetTraineePassword(traineeId);
      onReset({ user: result.user, password: result.initialPassword, reason: '密码已重置' });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error.message} />}
      <Descriptions column={1} size="small" data-testid="trainee-account-user">
        <Descriptions.Item label="用户名">{user.username}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <Tag color={status.color}>{status.text}</Tag>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        学员忘记密码时可重置：系统生成新的随机初始密码（只显示一次），学员已登录的设备全部退出，登录后须修改密码。
      </Typography.Paragraph>
      <Popconfirm title={`重置 ${user.displayName} 的登录密码？`} description="学员已登录的设备将全部退出。" okText="重置" cancelText="取消" onConfirm={reset}>
        <Button loading={busy} disabled={user.disabled}>
          重置密码
        </Button>
      </Popconfirm>
    </>
  );
}

function OpenAccount({ trainee, onOpened }: { trainee: Trainee; onOpened: (shown: ShownPassword) => void }) {
  const [form] = Form.useForm<{ username: string }>();
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async ({ username }: { username: string }) => {
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await createTraineeAccount(trainee.id, username.trim());
      if (created.initialPassword) onOpened({ user: created.user, password: created.initialPassword, reason: '已开通登录账号' });
    } catch (e) {
      const apiError = toApiError(e);
      if (showFieldErrors(form, apiError, (name) => name[0] === 'username') === 0) setError(apiError);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <Typography.Paragraph type="secondary">为学员开通登录账号后，系统生成随机初始密码（只显示一次），学员首次登录须修改。</Typography.Paragraph>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error.message} />}
      <Form form={form} layout="vertical" onFinish={onFinish} disabled={submitting} aria-label="开通登录账号" name="trainee-account" initialValues={{ username: trainee.masked ? '' : (trainee.phone ?? '') }}>
        <Form.Item label="用户名" name="username" extra="常用手机号；3–32 位小写字母、数字、点、下划线或连字符" rules={USERNAME_RULES}>
          <Input autoComplete="off" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting}>
            开通账号
          </Button>
        </Space>
      </Form>
    </>
  );
}
