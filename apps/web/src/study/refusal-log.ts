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
 * The last few reasons the server gave for not crediting, newest first. Reasons that cost nothing
 * (paused while paused, waiting for the start check before playing) are left out: they would bury
 * the ones that matter. A heartbeat ignored without a reason still gets a line.
 */
export function appendRefusals(log: readonly RefusalEntry[], ack: HeartbeatAck, at: number, limit = REFUSAL_LOG_LIMIT): RefusalEntry[] {
  const reasons = !ack.accepted
    ? ack.refusals.length > 0
      ? ack.refusals
      : [{ code: 'NOT_ACCEPTED', message: '本次心跳未被接受', seconds: 0 }]
    : ack.refusals.filter((r) => r.seconds > 0);
  if (reasons.length === 0) return [...log];
  const fresh = reasons.map((r, i) => ({ key: `${ack.sessionId}:${ack.seq}:${i}`, seq: ack.seq, at, code: r.code, message: r.message, seconds: r.seconds }));
  return [...fresh.reverse(), ...log].slice(0, limit);
}
