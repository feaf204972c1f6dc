import type { ReactNode } from 'react';
import { useAuthSession } from './auth-session';
import { SessionContext } from './session-context';

/** Supplies the signed-in user (from the API, see useAuthSession) to the console. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const session = useAuthSession();
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
