import type { ReactNode } from 'react';
import { useDemoSession } from './demo-session';
import { SessionContext } from './session-context';

/**
 * Supplies the current user to the console. The source is the demo role for now; the login
 * issue swaps `useDemoSession` for its own hook returning the same {@link SessionContextValue}.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const session = useDemoSession();
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
