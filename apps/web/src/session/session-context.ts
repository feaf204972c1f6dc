import { createContext, useContext } from 'react';
import type { Role } from './roles';

export interface SessionUser {
  name: string;
  role: Role;
}

/** What every page may know about who is using the console. */
export interface Session {
  user?: SessionUser;
}

/**
 * The session plus what its source can do. Only the demo source can switch roles; a real
 * login source leaves `switchDemoRole` undefined, which hides the demo switcher.
 */
export interface SessionContextValue extends Session {
  switchDemoRole?: (role: Role) => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
