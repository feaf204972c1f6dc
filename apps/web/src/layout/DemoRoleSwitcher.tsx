import { Select, Space, Tag, Tooltip } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { findSection } from '../navigation/sections';
import { ROLE_LABELS, ROLES, type Role } from '../session/roles';
import { useSession } from '../session/session-context';

const OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** Shown only while the session comes from the demo source, i.e. until login exists. */
export function DemoRoleSwitcher({ compact }: { compact?: boolean }) {
  const { user, switchDemoRole } = useSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  if (!switchDemoRole) return null;

  const onChange = (role: Role) => {
    switchDemoRole(role);
    // Staying on another role's page would only show "无权访问".
    const current = findSection(pathname);
    if (current && current.role !== role) navigate('/');
  };

  return (
    <Space size={4}>
      <Tooltip title="登录功能上线前，可切换角色预览各角色的功能菜单（仅为演示，不代表真实身份）">
        <Tag color="orange" style={{ marginInlineEnd: 0 }}>
          {compact ? '演示' : '演示角色'}
        </Tag>
      </Tooltip>
      <Select<Role>
        aria-label="演示角色"
        data-testid="demo-role"
        value={user?.role}
        options={OPTIONS}
        onChange={onChange}
        popupMatchSelectWidth={false}
        style={{ width: compact ? 96 : 112 }}
      />
    </Space>
  );
}
