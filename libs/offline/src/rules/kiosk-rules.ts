import type { Presence } from './attendance';
import type { Span } from './overlap';

export interface KioskWindows {
  /** Sign-in is taken from this long before the start until this long after it. */
  readonly signInWindowMs: number;
  /** A second recognition within this time after signing in is the same person still standing there, not a sign-out. */
  readonly repeatGuardMs: number;
  /** Sign-out is taken until this long after the scheduled end. */
  readonly signOutGraceMs: number;
}

export type KioskStep =
  | { readonly kind: 'sign-in' }
  | { readonly kind: 'sign-out' }
  | { readonly kind: 'refuse'; readonly reason: 'too-early' | 'sign-in-closed' | 'just-signed-in' | 'session-over' };

export const KIOSK_REFUSAL_MESSAGES = {
  'too-early': '尚未到签到时间',
  'sign-in-closed': '签到时间已过，请联系培训机构工作人员补登并说明原因',
  'just-signed-in': '已签到，无需重复签到',
  'session-over': '本课次已结束，不能再签到或签退',
} as const;

/**
 * What recognising an enrolled trainee at `now` does: the first recognition inside the sign-in
 * window signs them in, a later one signs them out (again later: the later time stands, people
 * leave once). The kiosk's credential expires with the session, but the rule still says why.
 */
export function kioskStep(now: number, session: Span, presence: Presence | undefined, w: KioskWindows): KioskStep {
  if (now >= session.endsAt + w.signOutGraceMs) return { kind: 'refuse', reason: 'session-over' };
  if (presence?.signInAt === undefined) {
    if (now < session.startsAt - w.signInWindowMs) return { kind: 'refuse', reason: 'too-early' };
    if (now > session.startsAt + w.signInWindowMs) return { kind: 'refuse', reason: 'sign-in-closed' };
    return { kind: 'sign-in' };
  }
  if (now - presence.signInAt < w.repeatGuardMs) return { kind: 'refuse', reason: 'just-signed-in' };
  return { kind: 'sign-out' };
}

/** One roster member's best distance from the probe. */
export interface Candidate1N {
  readonly traineeId: string;
  readonly distance: number;
}

export type Identification =
  | { readonly kind: 'match'; readonly traineeId: string; readonly distance: number }
  | { readonly kind: 'no-match'; readonly distance: number | null }
  /** Two roster members within the threshold and too close to tell apart: no guess. */
  | { readonly kind: 'ambiguous'; readonly traineeIds: readonly string[]; readonly distance: number };

/**
 * 1:N against a session's roster: the nearest member within the threshold, provided the runner-up
 * is clearly further (by `margin`). A misidentification signs the wrong person in — worse than a
 * refusal, which only sends someone back to the camera or to staff — so a near tie is refused.
 */
export function identify(candidates: readonly Candidate1N[], threshold: number, margin: number): Identification {
  const sorted = [...candidates].sort((a, b) => a.distance - b.distance);
  const [best, second] = sorted;
  if (!best) return { kind: 'no-match', distance: null };
  if (best.distance > threshold) return { kind: 'no-match', distance: best.distance };
  if (second && second.distance <= threshold && second.distance - best.distance < margin) {
    return { kind: 'ambiguous', traineeIds: [best.traineeId, second.traineeId], distance: best.distance };
  }
  return { kind: 'match', traineeId: best.traineeId, distance: best.distance };
}
