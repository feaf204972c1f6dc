import type { Clock } from '@app/platform';

/** A clock the test moves: orchestration specs advance time instead of sleeping. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 11, 1, 8, 0, 0)) {}

  now(): number {
    return this.t;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError('a clock only moves forward');
    this.t += ms;
    return this.t;
  }

  advanceSeconds(s: number): number {
    return this.advance(s * 1000);
  }
}
