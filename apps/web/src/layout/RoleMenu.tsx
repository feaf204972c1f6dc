import { HomeOutlined } from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import { Link, useLocation } from 'react-router-dom';
import { findSection, HOME_PATH, SECTIONS } from '../navigation/sections';
import { ROLE_LABELS } from '../session/roles';
import { useSession } from '../session/session-context';

type Items = NonNullable<MenuProps['items']>;

/** The side menu: home plus the current role's sections, as real links. */
export function RoleMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { user } = useSession();
  const { pathname } = useLocation();
  const selected = pathname === HOME_PATH ? HOME_PATH : findSection(pathname)?.section.path;

  const items: Items = [{ key: HOME_PATH, icon: <HomeOutlined />, label: <Link to={HOME_PATH}>首页</Link> }];
  if (user) {
    items.push({
      type: 'group',
      key: `group-${user.role}`,
      label: `${ROLE_LABELS[user.role]}功能`,
      children: SECTIONS[user.role].map((s) => ({ key: s.path, icon: s.icon, label: <Link to={s.path}>{s.label}</Link> })),
    });
  }

  return (
    <Menu
      mode="inline"
      aria-label="功能菜单"
      selectedKeys={selected ? [selected] : []}
      items={items}
      onClick={onNavigate}
      style={{ borderInlineEnd: 'none' }}
    />
  );
}
