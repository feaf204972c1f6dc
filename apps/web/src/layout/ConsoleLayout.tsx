import { useState } from 'react';
import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Drawer, Grid, Layout, Space, Typography } from 'antd';
import { Link, Outlet } from 'react-router-dom';
import { useSession } from '../session/session-context';
import { PLATFORM_NAME, PLATFORM_SHORT_NAME } from './platform';
import { RoleMenu } from './RoleMenu';
import { UserMenu } from './UserMenu';

const { Header, Sider, Content } = Layout;


/** Header, role-aware menu (a sider on wide screens, a drawer below `md`) and the page. */
export function ConsoleLayout() {
  const screens = Grid.useBreakpoint();
  // Before the first measurement `md` is undefined: assume a wide screen, as most users have.
  const mobile = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { user } = useSession();

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          position: 'sticky',
          top: 0,
          zIndex: 10,
          borderBottom: '1px solid rgba(5, 5, 5, 0.06)',
        }}
      >
        {mobile ? (
          <Button type="text" aria-label="打开菜单" data-testid="menu-drawer-toggle" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} />
        ) : (
          <Button
            type="text"
            aria-label={collapsed ? '展开菜单' : '收起菜单'}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed((c) => !c)}
          />
        )}
        <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <Typography.Title level={mobile ? 5 : 4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
            {mobile ? PLATFORM_SHORT_NAME : PLATFORM_NAME}
          </Typography.Title>
        </Link>
        <div style={{ marginInlineStart: 'auto' }}>
          <UserMenu compact={mobile} />
        </div>
      </Header>
      <Layout>
        {mobile ? (
          <Drawer
            title={PLATFORM_NAME}
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={288}
            styles={{ body: { padding: 0 } }}
          >
            {user && (
              <Space style={{ padding: '12px 24px' }}>
                <Avatar size="small" icon={<UserOutlined />} />
                <Typography.Text>{user.name}</Typography.Text>
              </Space>
            )}
            <RoleMenu onNavigate={() => setDrawerOpen(false)} />
          </Drawer>
        ) : (
          <Sider width={220} collapsible collapsed={collapsed} trigger={null} style={{ borderInlineEnd: '1px solid rgba(5, 5, 5, 0.06)' }}>
            <RoleMenu />
          </Sider>
        )}
        <Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <main style={{ maxWidth: 1280, margin: '0 auto' }}>
            <Outlet />
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
