import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { ROLE_LABELS, type Role } from '../session/roles';
import { useSession } from '../session/session-context';

/**
 * Keeps a role's pages out of the other roles' consoles. This is navigation, not security:
 * the API checks every request itself.
 */
export function RoleGate({ role, children }: { role: Role; children: ReactNode }) {
  const { user } = useSession();
  if (user?.role === role) return <>{children}</>;
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle={`该页面仅供${ROLE_LABELS[role]}使用${user ? `，当前登录角色为${ROLE_LABELS[user.role]}` : ''}。`}
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}
