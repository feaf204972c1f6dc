/**
 * The study benchmark's correctness figure: credited minus expected, in seconds.
 *
 * What "expected" means here. A simulated trainee holds the player at 0 until its session-start
 * face check passes (nothing before that pass is creditable), then plays continuously at 1× from
 * position 0, its position being exactly the wall time (its own monotonic clock) since it started
 * playing; its first heartbeat goes out at position 0. Every other no-credit rule is avoided by
 * construction: always playing, visible, rate 1, no seeking, prompts answered, face checks passed,
 * heartbeats in sequence. Under the server's rules (second k is earned when the position passes
 * k + 1; the end of the lesson earns its last partial second) such a trainee has earned
 *   expected = min(⌊p⌋, ⌈lesson duration⌉),  p = position of its LAST ACCEPTED heartbeat,
 * i.e. the whole wall-clock seconds it played up to what the server acknowledged. Nothing after the
 * last acknowledged heartbeat is owed (the session was closed then). The server may only refuse part
 * of that for its wall-clock cap, which a trainee playing at 1× never exceeds unless the server's
 * own delays shift its clock by more than the jitter allowance — that is then real drift, and the
 * refusal codes in the acks say which rule took the seconds.
 *
 * Per trainee: the ledger's seconds for the lesson must equal expected, and so must the close ack's
 * `settledSeconds` (what the server told the trainee it wrote). The heartbeat acks' Σ `credited` may
 * be ONE second short of expected, never more and never over: a heartbeat defers the second the
 * wall clock has not yet paid for, and the close pays it (2855cfd), so that second is only in the
 * close's settlement. ledger − ack outside [0, 1] is lost or double-counted settlement, ledger ≠
 * expected is crediting that does not match the wall time played.
 */

export interface TraineeCredit {
  traineeId: string;
  /** Whether playback started (the start check passed). */
  started: boolean;
  /** Σ `credited` of its heartbeat acks. */
  ackCredited: number;
  /** Position (seconds) of its last accepted heartbeat; 0 when none. */
  lastAcceptedPosition: number;
  /** Seconds of this lesson in the hour ledger after the session was closed. */
  ledgerSeconds: number;
  /** `settledSeconds` of its close ack; undefined when the close was not acknowledged. */
  closeSettled?: number;
}

/** The one second a heartbeat may still defer for the wall clock, paid by the close. */
export const CLOSE_PAYS_DEFERRED = 1;

function isOff(r: TraineeCredit, expected: number): boolean {
  const deferred = expected - r.ackCredited;
  return r.ledgerSeconds !== expected || r.closeSettled !== expected || deferred < 0 || deferred > CLOSE_PAYS_DEFERRED;
}

export function expectedSeconds(lastAcceptedPosition: number, lessonDuration: number): number {
  if (!(lastAcceptedPosition > 0)) return 0;
  return lastAcceptedPosition >= lessonDuration ? Math.ceil(lessonDuration) : Math.floor(lastAcceptedPosition);
}

export interface DriftReport {
  trainees: number;
  expected: number;
  ackCredited: number;
  ledger: number;
  /** ledger − expected: the figure that must be 0. */
  drift: number;
  ackMinusExpected: number;
  ledgerMinusAck: number;
  /** Trainees whose own figures disagree (ledger or close ≠ expected, acks outside the one deferred second), and the worst few. */
  off: number;
  worst: Array<TraineeCredit & { expected: number }>;
}

export function driftReport(rows: readonly TraineeCredit[], lessonDuration: number): DriftReport {
  let expected = 0;
  let ackCredited = 0;
  let ledger = 0;
  const offRows: Array<TraineeCredit & { expected: number }> = [];
  for (const r of rows) {
    const e = expectedSeconds(r.lastAcceptedPosition, lessonDuration);
    expected += e;
    ackCredited += r.ackCredited;
    ledger += r.ledgerSeconds;
    if (isOff(r, e)) offRows.push({ ...r, expected: e });
  }
  const badness = (r: TraineeCredit & { expected: number }) => Math.abs(r.ledgerSeconds - r.expected) + Math.abs((r.closeSettled ?? 0) - r.expected) + Math.abs(r.ackCredited - r.expected);
  return {
    trainees: rows.length,
    expected,
    ackCredited,
    ledger,
    drift: ledger - expected,
    ackMinusExpected: ackCredited - expected,
    ledgerMinusAck: ledger - ackCredited,
    off: offRows.length,
    worst: offRows.sort((a, b) => badness(b) - badness(a)).slice(0, 5),
  };
}
