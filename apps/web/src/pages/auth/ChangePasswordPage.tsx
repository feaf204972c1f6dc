import { useState } from 'react';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { toApiError, type ApiError } from '../../api/errors';
import { showFieldErrors } from '../../api/field-errors';
import { FullPageSpin, LOGIN_PATH, safeNext } from '../../navigation/RequireSession';
import { useSession } from '../../session/session-context';
import { AuthFrame } from './AuthFrame';
import { passwordHints } from './password-hints';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Forced after the first login of a seeded or reset account; also reachable from the user menu. */
export function ChangePasswordPage() {
  const { status, user, changePassword, logout } = useSession();
  const [form] = Form.useForm<PasswordForm>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);

  if (status === 'restoring') return <FullPageSpin tip="正在恢复登录状态…" />;
  if (status !== 'signed-in' || !user) return <Navigate to={LOGIN_PATH} replace />;
  const forced = user.mustChangePassword;

  const onFinish = async ({ currentPassword, newPassword }: PasswordForm) => {
    setSubmitting(true);
    setError(undefined);
    try {
      await changePassword(currentPassword, newPassword);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      const apiError = toApiError(e);
      if (apiError.code === 'AUTH_CURRENT_PASSWORD_WRONG') {
        form.setFields([{ name: 'currentPassword', errors: [apiError.message] }]);
      } else {
        const shown = showFieldErrors(form, apiError, (name) => name[0] === 'currentPassword' || name[0] === 'newPassword');
        if (shown === 0) setError(apiError);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthFrame title={forced ? '首次登录请修改密码' : '修改密码'}>
      <Typography.Paragraph type="secondary">
        {user.name}（{user.username}）
        {forced ? '：您的账号使用的是初始密码，修改后才能使用平台功能。' : ''}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error.message} />}
      <Form<PasswordForm> form={form} layout="vertical" onFinish={onFinish} disabled={submitting} aria-label="修改密码">
        <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label="新密码"
          name="newPassword"
          extra="至少 10 个字符，须含字母和数字，不能包含用户名"
          rules={[
            { required: true, message: '请输入新密码' },
            {
              validator: async (_, value: string | undefined) => {
                const hints = value ? passwordHints(value, user.username) : [];
                if (hints.length > 0) throw new Error(hints.join('；'));
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" block loading={submitting}>
            确认修改
          </Button>
          {forced ? (
            <Button block onClick={() => void logout()}>
              退出登录
            </Button>
          ) : (
            <Button block onClick={() => navigate(-1)}>
              返回
            </Button>
          )}
        </Space>
      </Form>
    </AuthFrame>
  );
}
