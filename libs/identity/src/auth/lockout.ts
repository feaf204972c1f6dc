/** Repeated failed logins for one username within a window lock it for a while. */
export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export interface LoginAttemptState {
  readonly failures: number;
  /** Start of the current counting window. */
  readonly windowStart?: Date;
  readonly lockedUntil?: Date;
}

export const NO_FAILURES: LoginAttemptState = { failures: 0 };

/** Milliseconds until the lock ends, or 0 when not locked. */
export function lockRemainingMs(state: LoginAttemptState, now: Date): number {
  return state.lockedUntil ? Math.max(0, state.lockedUntil.getTime() - now.getTime()) : 0;
}

/**
 * The state after one more failure. A failure outside the window starts a new one; reaching the
 * limit locks and resets the count, so after the lock the user again has the full allowance.
 */
export function afterFailure(state: LoginAttemptState, now: Date, policy: LockoutPolicy): LoginAttemptState {
  const inWindow = state.windowStart !== undefined && now.getTime() - state.windowStart.getTime() < policy.windowMs;
  const failures = (inWindow ? state.failures : 0) + 1;
  const windowStart = inWindow ? state.windowStart : now;
  if (failures >= policy.maxFailures) return { failures: 0, lockedUntil: new Date(now.getTime() + policy.lockMs) };
  return { failures, windowStart };
}

/** Failures still allowed before the lock, in the current window. */
export function attemptsLeft(state: LoginAttemptState, now: Date, policy: LockoutPolicy): number {
  const inWindow = state.windowStart !== undefined && now.getTime() - state.windowStart.getTime() < policy.windowMs;
  return policy.maxFailures - (inWindow ? state.failures : 0);
}

/** Warn only near the end, so a first typo is not met with a threat (zh-CN, appended to the refusal). */
export const WARN_WHEN_ATTEMPTS_LEFT = 2;

export function lockoutWarning(left: number, policy: LockoutPolicy): string | undefined {
  if (left > WARN_WHEN_ATTEMPTS_LEFT || left <= 0) return undefined;
  return `再失败 ${left} 次，账号将临时锁定 ${Math.ceil(policy.lockMs / 60_000)} 分钟`;
}

