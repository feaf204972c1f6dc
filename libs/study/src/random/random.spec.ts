import { cryptoRandom } from './crypto-random';
import { randomInt, seededRandom } from './random';

describe('random sources', () => {
  it('a seeded source replays the same sequence for the same seed, another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
  });

  it('values stay in [0, 1) and spread over the range', () => {
    for (const r of [seededRandom(7), cryptoRandom()]) {
      const xs = Array.from({ length: 2000 }, () => r.next());
      expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
      const low = xs.filter((x) => x < 0.5).length;
      expect(low).toBeGreaterThan(800);
      expect(low).toBeLessThan(1200);
    }
  });

  it('randomInt covers both bounds and nothing outside', () => {
    const r = seededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(randomInt(r, 3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(randomInt({ next: () => 0.999999 }, 0, 9)).toBe(9);
    expect(() => randomInt(r, 5, 4)).toThrow(RangeError);
    expect(() => randomInt(r, 0.5, 4)).toThrow(RangeError);
  });
});
