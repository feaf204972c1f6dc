// Relative, not @app/study-protocol: jest specs under tests/ import this module, and the root tsconfig that checks them has no such alias.
import type { HeartbeatAck } from '../../../../libs/study/src/protocol/study-protocol';

export interface RefusalEntry {
  key: string;
  seq: number;
  /** Local ms when the ack arrived. */
  at: number;
  code: string;
  message: string;
  seconds: number;
}

export const REFUSAL_LOG_LIMIT = 5;

/**
 * Reasons that are no loss to report: a pause is the trainee's own choice and the player shows it
 * (a short lesson would otherwise list one line per pause, start and end).
 */
const NOT_A_LOSS = new Set(['PAUSED']);

/**
 * The last few reasons the server gave for not crediting, newest first. Reasons that cost nothing
 * (a pause, under a second, waiting for the start check before playing) are left out: they would
 * bury the ones that matter. A heartbeat ignored without a reason still gets a line.
 */
export function appendRefusals(log: readonly RefusalEntry[], ack: HeartbeatAck, at: number, limit = REFUSAL_LOG_LIMIT): RefusalEntry[] {
  const reasons = !ack.accepted
    ? ack.refusals.length > 0
      ? ack.refusals
      : [{ code: 'NOT_ACCEPTED', message: '本次心跳未被接受', seconds: 0 }]
    : ack.refusals.filter((r) => r.seconds >= 1 && !NOT_A_LOSS.has(r.code));
  if (reasons.length === 0) return [...log];
  const fresh = reasons.map((r, i) => ({ key: `${ack.sessionId}:${ack.seq}:${i}`, seq: ack.seq, at, code: r.code, message: r.message, seconds: r.seconds }));
  return [...fresh.reverse(), ...log].slice(0, limit);
}
