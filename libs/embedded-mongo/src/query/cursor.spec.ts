import { SKIPPED, keepIf, pull, pullAll } from './cursor';

describe('keepIf + pull', () => {
  it('returns only the items that pass, in order', async () => {
    const r = await pullAll(keepIf([1, 2, 3, 4, 5, 6], (x) => x % 2 === 0));
    expect(r).toEqual([2, 4, 6]);
  });

  it('hands back control during a long run of rejected items', () => {
    const out = [...keepIf(Array.from({ length: 200 }, (_, i) => i), () => false)];
    expect(out).toEqual([SKIPPED, SKIPPED, SKIPPED]);
  });

  it('lets other work run on the event loop while a scan matches nothing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    // Each rejected candidate costs ~50 µs: about a second of matching nothing.
    const slowReject = (): boolean => {
      const end = process.hrtime.bigint() + 50_000n;
      while (process.hrtime.bigint() < end);
      return false;
    };
    const { items, done } = await pull(keepIf(Array.from({ length: 20_000 }, (_, i) => i), slowReject), 10);
    clearInterval(timer);
    expect(items).toEqual([]);
    expect(done).toBe(true);
    expect(ticks).toBeGreaterThan(10);
  });
});
