import {
  hashRefreshToken,
  judgeRefresh,
  looksLikeRefreshToken,
  newRefreshToken,
  RefreshTokenRecord,
  SessionRecord,
  successorExpiry,
} from './refresh-rotation';

const now = new Date('2026-03-01T10:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const session: SessionRecord = { id: 'f1', userId: 'u1', expiresAt: later(86_400_000) };
const token: RefreshTokenRecord = { familyId: 'f1', userId: 'u1', expiresAt: later(3_600_000) };

describe('refresh token rotation', () => {
  it('accepts a fresh token of a live session', () => {
    expect(judgeRefresh(token, session, now)).toEqual({ kind: 'valid' });
  });

  it('does not know a token it never issued', () => {
    expect(judgeRefresh(undefined, session, now)).toEqual({ kind: 'unknown' });
    expect(judgeRefresh(undefined, undefined, now)).toEqual({ kind: 'unknown' });
  });

  it('detects reuse of a rotated token', () => {
    expect(judgeRefresh({ ...token, rotatedAt: later(-1000) }, session, now)).toEqual({ kind: 'reused' });
  });

  it('reports reuse even when the rotated token has since expired (it still proves a second holder)', () => {
    expect(judgeRefresh({ ...token, rotatedAt: later(-2000), expiresAt: later(-1000) }, session, now)).toEqual({ kind: 'reused' });
  });

  it('refuses every token of a revoked family, rotated or not', () => {
    const revoked = { ...session, revokedAt: later(-1) };
    expect(judgeRefresh(token, revoked, now)).toEqual({ kind: 'revoked' });
    expect(judgeRefresh({ ...token, rotatedAt: later(-5) }, revoked, now)).toEqual({ kind: 'revoked' });
  });

  it('treats a missing session or one of another user as revoked', () => {
    expect(judgeRefresh(token, undefined, now)).toEqual({ kind: 'revoked' });
    expect(judgeRefresh(token, { ...session, userId: 'u2' }, now)).toEqual({ kind: 'revoked' });
  });

  it('expires at the token lifetime and at the session end, whichever is first', () => {
    expect(judgeRefresh({ ...token, expiresAt: now }, session, now)).toEqual({ kind: 'expired' });
    expect(judgeRefresh(token, { ...session, expiresAt: now }, now)).toEqual({ kind: 'expired' });
    expect(judgeRefresh(token, session, later(3_600_000 - 1))).toEqual({ kind: 'valid' });
  });

  it('caps a successor at the session end', () => {
    expect(successorExpiry(now, 3600, later(86_400_000))).toEqual(later(3_600_000));
    expect(successorExpiry(now, 3600, later(60_000))).toEqual(later(60_000));
  });

  it('makes distinct unguessable tokens whose hash is stable', () => {
    const a = newRefreshToken();
    const b = newRefreshToken();
    expect(a.token).not.toBe(b.token);
    expect(looksLikeRefreshToken(a.token)).toBe(true);
    expect(hashRefreshToken(a.token)).toBe(a.hash);
    expect(a.hash).not.toContain(a.token.slice(3));
    const fixed = newRefreshToken((n) => Buffer.alloc(n, 7));
    expect(fixed.token).toBe('rt_' + Buffer.alloc(32, 7).toString('base64url'));
  });

  it.each([undefined, 42, '', 'rt_short', 'xx_' + 'A'.repeat(43), 'rt_' + 'A'.repeat(42) + '!'])('rejects the shape %p', (v) => {
    expect(looksLikeRefreshToken(v)).toBe(false);
  });
});
