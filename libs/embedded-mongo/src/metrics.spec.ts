import { DurationCounts, observeGcPauses } from './metrics';

/** Enough short-lived garbage to make V8 scavenge several times. */
function churn(): unknown[] {
  // Kept in a small ring so the objects escape (the optimiser may not elide them) yet die young.
  const ring: unknown[] = new Array(1024);
  for (let i = 0; i < 2_000_000; i++) ring[i & 1023] = { i, a: [i, i + 1] };
  return ring;
}
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('DurationCounts', () => {
  it('counts each duration once per threshold it exceeds, and sums them', () => {
    const c = new DurationCounts();
    for (const ms of [0.2, 0.5, 0.7, 1.5, 2, 3, 7, 12]) c.record(ms);
    expect(c.toDocument()).toEqual({ count: 8, totalMs: 26.9, over500us: 6, over1ms: 5, over2ms: 3, over5ms: 2, over10ms: 1 });
  });

  it('reports zeros before anything is recorded', () => {
    expect(new DurationCounts().toDocument()).toEqual({ count: 0, totalMs: 0, over500us: 0, over1ms: 0, over2ms: 0, over5ms: 0, over10ms: 0 });
  });

  it('observes the GC pauses of this process until stopped', async () => {
    const c = new DurationCounts();
    const stop = observeGcPauses(c);
    churn();
    await tick();
    stop();
    expect(c.count).toBeGreaterThan(0);
    expect(c.totalMs).toBeGreaterThan(0);
    const seen = c.count;
    churn();
    await tick();
    expect(c.count).toBe(seen);
  });
});
