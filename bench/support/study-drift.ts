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
 * Three sums are compared per trainee: the acks' `credited`, the ledger's seconds for the lesson,
 * and expected. All three must agree: ledger − ack ≠ 0 is lost or double-counted settlement,
 * ack − expected ≠ 0 is crediting that does not match the wall time played.
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
  /** Trainees whose own figures disagree (any of the three), and the worst few. */
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
    if (r.ackCredited !== e || r.ledgerSeconds !== e) offRows.push({ ...r, expected: e });
  }
  const badness = (r: TraineeCredit & { expected: number }) => Math.abs(r.ledgerSeconds - r.expected) + Math.abs(r.ackCredited - r.expected);
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
