import type { LedgerSource } from '@app/ledger';
import { overlapSeconds, Span } from './overlap';

export const SESSION_KINDS = ['theory', 'practical', 'discussion'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const SESSION_KIND_NAMES: Record<SessionKind, string> = { theory: '理论授课', practical: '实训', discussion: '互动研讨' };

/** Practical sessions (实训) are counted apart, because team leaders need ≥ 1/4 of their hours there. */
export function ledgerSourceOf(kind: SessionKind): Extract<LedgerSource, 'offline' | 'practical'> {
  return kind === 'practical' ? 'practical' : 'offline';
}

export interface Presence {
  readonly signInAt?: number;
  readonly signOutAt?: number;
}

/**
 * A trainee's seconds for a session: the overlap of their presence with the scheduled time.
 * Without a sign-out there is no end to the presence, so nothing is proved and nothing is counted
 * (the sheet shows 未签退; an institution may enter it manually, with a reason, flagged).
 */
export function attendedSeconds(scheduled: Span, p: Presence): number {
  if (p.signInAt === undefined || p.signOutAt === undefined) return 0;
  return overlapSeconds(scheduled, { startsAt: p.signInAt, endsAt: p.signOutAt });
}
