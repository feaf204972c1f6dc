import { useState } from 'react';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { toApiError, type ApiError } from '../../api/errors';
import { CHANGE_PASSWORD_PATH, safeNext } from '../../navigation/RequireSession';
import { useSession } from '../../session/session-context';
import { AuthFrame } from './AuthFrame';

interface LoginForm {
  username: string;
  password: string;
}

/** A lock-out is not a typo: it gets its own colour and tells the user to wait, not retry. */
function LoginError({ error }: { error: ApiError }) {
  const locked = error.code === 'AUTH_LOCKED';
  return (
    <Alert
      data-testid="login-error"
      type={locked ? 'warning' : 'error'}
      showIcon
      style={{ marginBottom: 16 }}
      title={locked ? '账号已临时锁定' : '登录失败'}
      description={error.message}
    />
  );
}

export function LoginPage() {
  const { status, user, notice, login } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const next = safeNext(params.get('next'));

  // The page asked for before login is still the destination after a forced password change.
  const after = (mustChange: boolean) => (mustChange ? `${CHANGE_PASSWORD_PATH}?next=${encodeURIComponent(next)}` : next);
  if (status === 'signed-in' && user && !submitting) return <Navigate to={after(user.mustChangePassword)} replace />;

  const onFinish = async ({ username, password }: LoginForm) => {
    setSubmitting(true);
    setError(undefined);
    try {
      const signedIn = await login(username.trim(), password);
      navigate(after(signedIn.mustChangePassword), { replace: true });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthFrame title="登录">
      {error ? (
        <LoginError error={error} />
      ) : (
        notice && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={notice.message} data-testid="login-notice" />
      )}
      <Form<LoginForm> layout="vertical" requiredMark={false} onFinish={onFinish} disabled={submitting} aria-label="登录">
        <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
        </Form.Item>
        <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
          登录
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
        连续输错密码 5 次，账号将锁定 15 分钟。学员账号由培训机构开通；忘记密码请联系培训机构或平台管理员重置。
      </Typography.Paragraph>
    </AuthFrame>
  );
}
