import { Suspense, type ReactNode } from 'react';
import { Spin } from 'antd';
import { createBrowserRouter, type RouteObject } from 'react-router-dom';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { allSections } from './navigation/sections';
import { RoleGate } from './navigation/RoleGate';
import { HomePage } from './pages/HomePage';
import { NotFound } from './pages/NotFound';
import { UnderConstruction } from './pages/UnderConstruction';

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '96px auto' }} tip="加载中…" />}>{children}</Suspense>;
}

// Each section owns its subtree ("/*") so a page can add its own detail routes.
const sectionRoutes: RouteObject[] = allSections().map(({ role, section }) => {
  const Page = section.page;
  return {
    path: `${section.path.slice(1)}/*`,
    element: <RoleGate role={role}>{Page ? <Lazy><Page /></Lazy> : <UnderConstruction section={section} />}</RoleGate>,
  };
});

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <ConsoleLayout />,
    children: [{ index: true, element: <HomePage /> }, ...sectionRoutes, { path: '*', element: <NotFound /> }],
  },
];

export const createRouter = () => createBrowserRouter(routes);
