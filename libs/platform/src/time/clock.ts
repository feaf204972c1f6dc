/**
 * The server's clock as a port: use cases read time only through it, so a spec can run a whole
 * study session (or an expiry, or a schedule) in a few milliseconds with a clock it moves itself.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const ClockToken = Symbol('Clock');

export const systemClock: Clock = { now: () => Date.now() };
