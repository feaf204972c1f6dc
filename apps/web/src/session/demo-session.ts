import { useCallback, useMemo, useState } from 'react';
import { isRole, ROLE_LABELS, type Role } from './roles';
import type { SessionContextValue } from './session-context';

/**
 * Until the identity issue brings login, the console runs as a demo user whose role the
 * header switcher chooses; the choice survives reloads. Nothing here grants access: the API
 * decides that on its own once identity exists.
 */
export const DEMO_ROLE_STORAGE_KEY = 'gsyf.demoRole';
export const DEFAULT_DEMO_ROLE: Role = 'trainee';

function readStoredRole(): Role {
  try {
    const stored = window.localStorage.getItem(DEMO_ROLE_STORAGE_KEY);
    return isRole(stored) ? stored : DEFAULT_DEMO_ROLE;
  } catch {
    // Storage can be disabled (private mode, policy); the demo still works for this page view.
    return DEFAULT_DEMO_ROLE;
  }
}

function storeRole(role: Role): void {
  try {
    window.localStorage.setItem(DEMO_ROLE_STORAGE_KEY, role);
  } catch {
    // See readStoredRole: not persisting is acceptable for a demo choice.
  }
}

export function demoUserName(role: Role): string {
  return `演示${ROLE_LABELS[role]}`;
}

export function useDemoSession(): SessionContextValue {
  const [role, setRole] = useState<Role>(readStoredRole);
  const switchDemoRole = useCallback((next: Role) => {
    storeRole(next);
    setRole(next);
  }, []);
  return useMemo(() => ({ user: { name: demoUserName(role), role }, switchDemoRole }), [role, switchDemoRole]);
}
