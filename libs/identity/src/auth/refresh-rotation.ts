import { createHash, randomBytes } from 'node:crypto';

/**
 * Rotating refresh tokens with reuse detection: each refresh replaces the presented token with a
 * new one of the same family (one family = one login session). A token that was already rotated
 * coming back means two parties hold the family — the thief or the victim — so the whole family
 * is revoked and both must log in again.
 */
export interface RefreshTokenRecord {
  readonly familyId: string;
  readonly userId: string;
  readonly expiresAt: Date;
  /** Set once, when this token was exchanged for its successor. */
  readonly rotatedAt?: Date;
}

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly revokedAt?: Date;
  /** Absolute end of the session: rotation never extends a login beyond it. */
  readonly expiresAt: Date;
}

export type RefreshVerdict =
  | { readonly kind: 'valid' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'revoked' }
  | { readonly kind: 'reused' }
  | { readonly kind: 'expired' };

export function judgeRefresh(
  token: RefreshTokenRecord | undefined,
  session: SessionRecord | undefined,
  now: Date,
): RefreshVerdict {
  if (!token) return { kind: 'unknown' };
  if (!session || session.revokedAt || session.userId !== token.userId) return { kind: 'revoked' };
  if (token.rotatedAt) return { kind: 'reused' };
  if (token.expiresAt.getTime() <= now.getTime() || session.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
  return { kind: 'valid' };
}

/** When the successor token expires: its own lifetime, capped by the session's absolute end. */
export function successorExpiry(now: Date, ttlSeconds: number, sessionExpiresAt: Date): Date {
  return new Date(Math.min(now.getTime() + ttlSeconds * 1000, sessionExpiresAt.getTime()));
}

const PREFIX = 'rt_';

/** 256 random bits: a fast hash suffices for storage, there is nothing to brute-force. */
export function newRefreshToken(random: (n: number) => Buffer = randomBytes): { token: string; hash: string } {
  const token = PREFIX + random(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Cheap shape check before touching the database. */
export function looksLikeRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && /^rt_[A-Za-z0-9_-]{43}$/.test(value);
}
