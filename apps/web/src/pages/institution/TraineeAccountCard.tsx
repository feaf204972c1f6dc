import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { toApiError, type ApiError } from '../../api/errors';
import { showFieldErrors } from '../../api/field-errors';
import { createTraineeAccount, type Trainee } from '../../api/identity';
import { InitialPasswordModal, type ShownPassword } from '../shared/InitialPasswordModal';
import { USERNAME_RULES } from '../shared/username';

/**
 * Opens a login for a trainee. The API does not say whether one exists yet; if it does, its
 * refusal (TRAINEE_ACCOUNT_EXISTS) is shown instead.
 */
export function TraineeAccountCard({ trainee }: { trainee: Trainee }) {
  const [form] = Form.useForm<{ username: string }>();
  const [error, setError] = useState<ApiError>();
  const [shown, setShown] = useState<ShownPassword>();
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async ({ username }: { username: string }) => {
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await createTraineeAccount(trainee.id, username.trim());
      if (created.initialPassword) setShown({ user: created.user, password: created.initialPassword, reason: '已开通登录账号' });
      form.resetFields();
    } catch (e) {
      const apiError = toApiError(e);
      if (showFieldErrors(form, apiError, (name) => name[0] === 'username') === 0) setError(apiError);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title="登录账号" data-testid="trainee-account">
      <Typography.Paragraph type="secondary">为学员开通登录账号后，系统生成随机初始密码（只显示一次），学员首次登录须修改。</Typography.Paragraph>
      {error && <Alert type={error.code === 'TRAINEE_ACCOUNT_EXISTS' ? 'info' : 'error'} showIcon style={{ marginBottom: 16 }} title={error.message} />}
      <Form form={form} layout="vertical" onFinish={onFinish} disabled={submitting} aria-label="开通登录账号" name="trainee-account" initialValues={{ username: trainee.masked ? '' : (trainee.phone ?? '') }}>
        <Form.Item
          label="用户名"
          name="username"
          extra="常用手机号；3–32 位小写字母、数字、点、下划线或连字符"
          rules={USERNAME_RULES}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting}>
            开通账号
          </Button>
        </Space>
      </Form>
      <InitialPasswordModal shown={shown} onClose={() => setShown(undefined)} />
    </Card>
  );
}
