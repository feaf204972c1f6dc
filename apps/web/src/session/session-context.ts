import { createContext, useContext } from 'react';
import type { ApiError } from '../api/errors';
import type { Role } from './roles';

export interface SessionOrganisation {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
}

/** The signed-in user as GET /auth/me describes them. */
export interface SessionUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  organisation?: SessionOrganisation;
  /** Seeded or reset accounts must choose a password before anything else. */
  mustChangePassword: boolean;
}

/**
 * - `restoring`: a refresh token from this tab is being exchanged (page reload).
 * - `unreachable`: the exchange failed for lack of an answer; the token is kept for `retry`.
 */
export type SessionStatus = 'restoring' | 'unreachable' | 'signed-out' | 'signed-in';

export interface SessionContextValue {
  status: SessionStatus;
  user?: SessionUser;
  /** Why the last session ended without the user asking (expired, revoked, disabled). */
  notice?: ApiError;
  /** Throws the API's ApiError (wrong password, locked …) for the login form to show. */
  login(username: string, password: string): Promise<SessionUser>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  logout(): Promise<void>;
  retry(): void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
