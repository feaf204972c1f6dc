import type { Role } from '../auth/role';

export interface User {
  id: string;
  /** Lower-case login name, unique. */
  username: string;
  displayName: string;
  role: Role;
  /** See AuthUser.organisationId. */
  organisationId?: string;
  mustChangePassword: boolean;
  disabled: boolean;
  /** Bumped on password change or forced logout; access tokens carry it and die with it. */
  tokenVersion: number;
  demo: boolean;
}

/** Only the login path sees the hash. */
export interface UserWithCredentials extends User {
  passwordHash: string;
}

export type NewUser = Omit<User, 'id' | 'tokenVersion' | 'disabled'> & { passwordHash: string };

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;

export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}
