import { afterFailure, attemptsLeft, DEFAULT_LOCKOUT, lockoutWarning, lockRemainingMs, LoginAttemptState, NO_FAILURES } from './lockout';

const t0 = new Date('2026-01-01T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const policy = DEFAULT_LOCKOUT;

function failTimes(offsets: number[], start: LoginAttemptState = NO_FAILURES): LoginAttemptState {
  return offsets.reduce((s, off) => afterFailure(s, at(off), policy), start);
}

describe('lock-out arithmetic', () => {
  it('counts failures below the limit without locking', () => {
    const s = failTimes([0, 1000, 2000, 3000]);
    expect(s.failures).toBe(4);
    expect(lockRemainingMs(s, at(3000))).toBe(0);
  });

  it('locks on the fifth failure within 15 minutes, for 15 minutes', () => {
    const s = failTimes([0, 60_000, 120_000, 180_000, 14 * 60_000]);
    expect(s.lockedUntil).toEqual(at(14 * 60_000 + 15 * 60_000));
    expect(lockRemainingMs(s, at(14 * 60_000))).toBe(15 * 60_000);
    expect(lockRemainingMs(s, at(29 * 60_000 - 1))).toBe(1);
    expect(lockRemainingMs(s, at(29 * 60_000))).toBe(0);
  });

  it('starts a new window when the first failure is 15 minutes old', () => {
    const s = failTimes([0, 1, 2, 3, 15 * 60_000]);
    expect(s.lockedUntil).toBeUndefined();
    expect(s.failures).toBe(1);
    expect(s.windowStart).toEqual(at(15 * 60_000));
  });

  it('gives the full allowance again after a lock', () => {
    const locked = failTimes([0, 1, 2, 3, 4]);
    const after = failTimes([30 * 60_000, 30 * 60_000 + 1, 30 * 60_000 + 2, 30 * 60_000 + 3], locked);
    expect(after.failures).toBe(4);
    expect(lockRemainingMs(after, at(30 * 60_000 + 3))).toBe(0);
    expect(afterFailure(after, at(30 * 60_000 + 4), policy).lockedUntil).toEqual(at(45 * 60_000 + 4));
  });

  it('honours a custom policy', () => {
    const p = { maxFailures: 2, windowMs: 1000, lockMs: 5000 };
    const once = afterFailure(NO_FAILURES, t0, p);
    expect(once.failures).toBe(1);
    expect(afterFailure(once, at(999), p).lockedUntil).toEqual(at(5999));
    expect(afterFailure(once, at(1000), p).lockedUntil).toBeUndefined();
  });
});

describe('attempts left before the lock', () => {
  const now = new Date('2026-01-01T08:00:00Z');
  it('counts down within the window and starts over after it', () => {
    let state: LoginAttemptState = NO_FAILURES;
    expect(attemptsLeft(state, now, DEFAULT_LOCKOUT)).toBe(5);
    state = afterFailure(state, now, DEFAULT_LOCKOUT);
    state = afterFailure(state, now, DEFAULT_LOCKOUT);
    expect(attemptsLeft(state, now, DEFAULT_LOCKOUT)).toBe(3);
    expect(attemptsLeft(state, new Date(now.getTime() + DEFAULT_LOCKOUT.windowMs), DEFAULT_LOCKOUT)).toBe(5);
  });
  it('warns only for the last two, naming the lock time', () => {
    expect(lockoutWarning(3, DEFAULT_LOCKOUT)).toBeUndefined();
    expect(lockoutWarning(2, DEFAULT_LOCKOUT)).toBe('再失败 2 次，账号将临时锁定 15 分钟');
    expect(lockoutWarning(1, DEFAULT_LOCKOUT)).toBe('再失败 1 次，账号将临时锁定 15 分钟');
    expect(lockoutWarning(0, DEFAULT_LOCKOUT)).toBeUndefined();
  });
});

