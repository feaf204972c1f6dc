import type { ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from '../session/session-context';
import { CHANGE_PASSWORD_PATH, LOGIN_PATH } from './paths';

export { CHANGE_PASSWORD_PATH, LOGIN_PATH, safeNext } from './paths';

export function FullPageSpin({ tip }: { tip: string }) {
  return (
    <Spin size="large" description={tip}>
      <div style={{ height: '60vh' }} />
    </Spin>
  );
}

/**
 * The console is for signed-in users only: others go to the login page (and come back to the
 * page they asked for), users who must change their password go there first. Navigation only:
 * the API refuses the calls anyway.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { status, user, notice, retry } = useSession();
  const location = useLocation();
  if (status === 'restoring') return <FullPageSpin tip="正在恢复登录状态…" />;
  if (status === 'unreachable') {
    return (
      <Result
        status="warning"
        title="暂时无法连接服务器"
        subTitle={notice?.message}
        extra={
          <Button type="primary" onClick={retry}>
            重试
          </Button>
        }
      />
    );
  }
  const here = `${location.pathname}${location.search}`;
  const back = here === '/' ? '' : `?next=${encodeURIComponent(here)}`;
  if (status === 'signed-out' || !user) return <Navigate to={`${LOGIN_PATH}${back}`} replace />;
  if (user.mustChangePassword) return <Navigate to={`${CHANGE_PASSWORD_PATH}${back}`} replace />;
  return <>{children}</>;
}
