import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Space, Typography, type MenuProps } from 'antd';
import { useNavigate } from 'react-router-dom';
import { CHANGE_PASSWORD_PATH } from '../navigation/RequireSession';
import { ROLE_LABELS } from '../session/roles';
import { useSession } from '../session/session-context';

/** Who is signed in (name, role, organisation) with password change and logout. */
export function UserMenu({ compact }: { compact?: boolean }) {
  const { user, logout } = useSession();
  const navigate = useNavigate();
  if (!user) return null;

  const items: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{user.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {ROLE_LABELS[user.role]} · {user.username}
          </Typography.Text>
          {user.organisation && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {user.organisation.name}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: '修改密码', onClick: () => navigate(CHANGE_PASSWORD_PATH) },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true, onClick: () => void logout() },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <Button type="text" data-testid="user-menu" aria-label="当前用户" style={{ paddingInline: compact ? 4 : 8 }}>
        <Space size={8}>
          <Avatar size="small" icon={<UserOutlined />} />
          {!compact && <Typography.Text data-testid="current-user">{user.name}</Typography.Text>}
          {!compact && <DownOutlined style={{ fontSize: 10 }} />}
        </Space>
      </Button>
    </Dropdown>
  );
}
