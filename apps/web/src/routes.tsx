import { lazy, Suspense, type ReactNode } from 'react';
import { Spin } from 'antd';
import { createBrowserRouter, type RouteObject } from 'react-router-dom';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { allSections } from './navigation/sections';
import { RoleGate } from './navigation/RoleGate';
import { HomePage } from './pages/HomePage';
import { NotFound } from './pages/NotFound';
import { ChangePasswordPage } from './pages/auth/ChangePasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { CHANGE_PASSWORD_PATH, LOGIN_PATH, RequireSession } from './navigation/RequireSession';
import { UnderConstruction } from './pages/UnderConstruction';

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '96px auto' }} description="加载中…" />}>{children}</Suspense>;
}

// Each section owns its subtree ("/*") so a page can add its own detail routes.
const sectionRoutes: RouteObject[] = allSections().map(({ role, section }) => {
  const Page = section.page;
  return {
    path: `${section.path.slice(1)}/*`,
    element: <RoleGate role={role}>{Page ? <Lazy><Page /></Lazy> : <UnderConstruction section={section} />}</RoleGate>,
  };
});

// The classroom kiosk: no login, no console around it — its credential comes with the link.
const KioskPage = lazy(() => import('./pages/kiosk/KioskPage'));

export const routes: RouteObject[] = [
  { path: LOGIN_PATH, element: <LoginPage /> },
  { path: '/kiosk', element: <Lazy><KioskPage /></Lazy> },
  { path: CHANGE_PASSWORD_PATH, element: <ChangePasswordPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <ConsoleLayout />
      </RequireSession>
    ),
    children: [{ index: true, element: <HomePage /> }, ...sectionRoutes, { path: '*', element: <NotFound /> }],
  },
];

export const createRouter = () => createBrowserRouter(routes);
