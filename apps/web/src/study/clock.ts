/**
 * The server's clock as seen from this browser, for countdowns to server deadlines (ms since
 * epoch on the server). A trainee's PC clock can be minutes off; counting down against it would
 * show a window that is already over, or one that never ends.
 *
 * Two kinds of evidence, the better one winning:
 * - a round trip (`platform:ping` answers with the server's time): offset known to ± half the trip;
 * - a check's `issuedAt` against the local time its message arrived: the check is at least that
 *   old, so `arrival - issuedAt` is an upper bound of the offset; the smallest bound seen is kept
 *   (a check pushed the moment it is issued gives a tight one).
 */
export class ServerClock {
  /** local − server, ms. */
  private roundTripOffset?: { offset: number; uncertainty: number };
  private upperBound?: number;

  observeRoundTrip(sentLocal: number, serverTime: number, receivedLocal: number): void {
    if (!(receivedLocal >= sentLocal) || !Number.isFinite(serverTime)) return;
    const uncertainty = (receivedLocal - sentLocal) / 2;
    if (this.roundTripOffset && this.roundTripOffset.uncertainty < uncertainty) return;
    this.roundTripOffset = { offset: sentLocal + uncertainty - serverTime, uncertainty };
  }

  observeIssued(issuedAtServer: number, arrivedLocal: number): void {
    if (!Number.isFinite(issuedAtServer) || !Number.isFinite(arrivedLocal)) return;
    const bound = arrivedLocal - issuedAtServer;
    this.upperBound = this.upperBound === undefined ? bound : Math.min(this.upperBound, bound);
  }

  /** local − server in ms (0 with no evidence: assume the clocks agree). */
  get offset(): number {
    if (this.roundTripOffset) return this.roundTripOffset.offset;
    return this.upperBound ?? 0;
  }

  toLocal(serverMs: number): number {
    return serverMs + this.offset;
  }
}

/** Whole seconds left until a local deadline, for display (never negative). */
export function secondsLeft(localDeadline: number, now: number): number {
  return Math.max(0, Math.ceil((localDeadline - now) / 1000));
}
