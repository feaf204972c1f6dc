import {
  binomialCdf,
  clopperPearson,
  equalErrorRate,
  farAtFrr,
  frrAtFar,
  fuseDistances,
  ratesAt,
  scoreStats,
} from './verification-metrics';

describe('binomialCdf', () => {
  it('matches hand-computed values', () => {
    expect(binomialCdf(1, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialCdf(0, 3, 0.5)).toBeCloseTo(0.125, 12);
    expect(binomialCdf(2, 5, 0.3)).toBeCloseTo(0.16807 + 0.36015 + 0.3087, 10);
  });
  it('handles the edges', () => {
    expect(binomialCdf(-1, 5, 0.3)).toBe(0);
    expect(binomialCdf(5, 5, 0.3)).toBe(1);
    expect(binomialCdf(0, 5, 0)).toBe(1);
    expect(binomialCdf(2, 5, 1)).toBe(0);
  });
  it('does not underflow for large n', () => {
    expect(binomialCdf(10, 20_000, 0.001)).toBeGreaterThan(0);
    expect(binomialCdf(10, 20_000, 0.001)).toBeLessThan(1);
  });
});

describe('clopperPearson', () => {
  it('has closed forms at 0 and n events', () => {
    // k = 0: upper = 1 − (α/2)^(1/n); k = n: lower = (α/2)^(1/n).
    expect(clopperPearson(0, 240)).toEqual({ lower: 0, upper: expect.closeTo(1 - 0.025 ** (1 / 240), 9) });
    expect(clopperPearson(240, 240)).toEqual({ lower: expect.closeTo(0.025 ** (1 / 240), 9), upper: 1 });
  });
  it('matches published values', () => {
    const a = clopperPearson(5, 10);
    expect(a.lower).toBeCloseTo(0.1871, 4);
    expect(a.upper).toBeCloseTo(0.8129, 4);
    const b = clopperPearson(1, 10);
    expect(b.lower).toBeCloseTo(0.00253, 5);
    expect(b.upper).toBeCloseTo(0.44502, 5);
  });
  it('is symmetric and contains the observed rate', () => {
    for (const [k, n] of [[0, 7], [3, 7], [7, 7], [13, 1000], [2, 18_000]]) {
      const ci = clopperPearson(k, n);
      const mirror = clopperPearson(n - k, n);
      expect(ci.lower).toBeCloseTo(1 - mirror.upper, 9);
      expect(ci.lower).toBeLessThanOrEqual(k / n);
      expect(ci.upper).toBeGreaterThanOrEqual(k / n);
    }
  });
  it('widens with the confidence level', () => {
    const ci90 = clopperPearson(3, 50, 0.9);
    const ci99 = clopperPearson(3, 50, 0.99);
    expect(ci99.lower).toBeLessThan(ci90.lower);
    expect(ci99.upper).toBeGreaterThan(ci90.upper);
  });
  it('refuses impossible counts', () => {
    expect(() => clopperPearson(-1, 10)).toThrow(RangeError);
    expect(() => clopperPearson(11, 10)).toThrow(RangeError);
    expect(() => clopperPearson(0, 0)).toThrow(RangeError);
    expect(() => clopperPearson(1.5, 10)).toThrow(RangeError);
    expect(() => clopperPearson(1, 10, 1)).toThrow(RangeError);
  });
});

describe('ratesAt', () => {
  it('accepts at distance ≤ threshold', () => {
    const p = ratesAt([0.1, 0.5, 0.6], [0.5, 0.7, 0.9, 1.0], 0.5);
    expect(p).toEqual({ threshold: 0.5, falseRejects: 1, falseAccepts: 1, frr: 1 / 3, far: 1 / 4 });
  });
  it('refuses empty or NaN input', () => {
    expect(() => ratesAt([], [1], 0.5)).toThrow(RangeError);
    expect(() => ratesAt([0.1], [], 0.5)).toThrow(RangeError);
    expect(() => ratesAt([NaN], [1], 0.5)).toThrow(RangeError);
  });
});

describe('equalErrorRate', () => {
  it('is 0 when the populations are separated', () => {
    const e = equalErrorRate([0.1, 0.2, 0.3], [0.5, 0.6]);
    expect(e.eer).toBe(0);
    expect(e.threshold).toBeGreaterThanOrEqual(0.3);
    expect(e.threshold).toBeLessThan(0.5);
  });
  it('finds the crossing of an overlap', () => {
    const e = equalErrorRate([0.1, 0.2, 0.3, 0.6], [0.4, 0.5, 0.7, 0.8]);
    expect(e.eer).toBeCloseTo(0.25, 12);
    expect(e.frr).toBeCloseTo(0.25, 12);
    expect(e.far).toBeCloseTo(0.25, 12);
  });
  it('is 0.5 when genuine and impostor distances are the same', () => {
    expect(equalErrorRate([0.3, 0.4, 0.5, 0.6], [0.3, 0.4, 0.5, 0.6]).eer).toBeCloseTo(0.5, 1);
  });
  it('is 1 when every impostor is closer than every genuine pair', () => {
    expect(equalErrorRate([0.8, 0.9], [0.1, 0.2]).eer).toBe(1);
  });
  it('does not depend on input order', () => {
    const g = [0.6, 0.1, 0.3, 0.2];
    const i = [0.8, 0.4, 0.7, 0.5];
    expect(equalErrorRate(g, i)).toEqual(equalErrorRate([...g].sort(), [...i].sort()));
  });
});

describe('frrAtFar', () => {
  const impostor = Array.from({ length: 1000 }, (_, k) => 0.5 + k / 1000); // 0.500 … 1.499
  it('allows ⌊maxFar · n⌋ false accepts', () => {
    const p = frrAtFar([0.3, 0.45, 0.5005, 0.502, 0.6], impostor, 0.001);
    // One impostor (0.5) may pass; the second (0.501) must not.
    expect(p.falseAccepts).toBe(1);
    expect(p.far).toBeCloseTo(0.001, 12);
    expect(p.threshold).toBe(0.5005);
    expect(p.falseRejects).toBe(2);
  });
  it('refuses a genuine pair tied with the first impostor that must be refused', () => {
    const p = frrAtFar([0.3, 0.501], impostor, 0.001);
    expect(p.falseRejects).toBe(1);
    expect(p.falseAccepts).toBe(1);
  });
  it('accepts no impostor when the folder is smaller than 1 / maxFar', () => {
    const p = frrAtFar([0.2, 0.4, 0.6], [0.5, 0.7, 0.9], 0.001);
    expect(p.falseAccepts).toBe(0);
    expect(p.threshold).toBe(0.4);
    expect(p.frr).toBeCloseTo(1 / 3, 12);
  });
  it('gives −Infinity when the closest impostor beats every genuine pair', () => {
    const p = frrAtFar([0.5, 0.6], [0.1, 0.9], 0);
    expect(p.threshold).toBe(-Infinity);
    expect(p.frr).toBe(1);
    expect(p.far).toBe(0);
  });
  it('accepts everything at maxFar 1', () => {
    expect(frrAtFar([0.5], [0.1], 1)).toMatchObject({ threshold: Infinity, frr: 0, far: 1 });
  });
  it('refuses a rate outside [0, 1]', () => {
    expect(() => frrAtFar([0.1], [0.2], -0.1)).toThrow(RangeError);
    expect(() => frrAtFar([0.1], [0.2], 2)).toThrow(RangeError);
  });
});

describe('farAtFrr', () => {
  const genuine = Array.from({ length: 50 }, (_, k) => 0.1 + k / 100); // 0.10 … 0.59
  it('allows ⌊maxFrr · n⌋ false rejects', () => {
    const p = farAtFrr(genuine, [0.55, 0.58, 0.59, 0.7], 0.02);
    expect(p.threshold).toBeCloseTo(0.58, 12);
    expect(p.falseRejects).toBe(1);
    expect(p.falseAccepts).toBe(2);
    expect(p.far).toBeCloseTo(0.5, 12);
  });
  it('accepts every genuine pair when fewer than 1 / maxFrr', () => {
    const p = farAtFrr([0.2, 0.4], [0.3, 0.5], 0.02);
    expect(p).toMatchObject({ threshold: 0.4, falseRejects: 0, falseAccepts: 1 });
  });
  it('accepts nothing at maxFrr 1', () => {
    expect(farAtFrr([0.2], [0.3], 1)).toMatchObject({ threshold: -Infinity, frr: 1, far: 0 });
  });
  it('refuses a rate outside [0, 1]', () => {
    expect(() => farAtFrr([0.1], [0.2], NaN)).toThrow(RangeError);
  });
});

describe('scoreStats and fuseDistances', () => {
  it('computes mean and population sd', () => {
    expect(scoreStats([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(1.25) });
    expect(() => scoreStats([])).toThrow(RangeError);
    expect(() => scoreStats([2, 2])).toThrow(RangeError);
  });
  it('averages z-scores, weighted', () => {
    const sa = { mean: 1, sd: 0.5 };
    const sb = { mean: 10, sd: 2 };
    expect(fuseDistances([1.5, 0.5], [12, 10], sa, sb)).toEqual([1, -0.5]);
    expect(fuseDistances([1.5], [12], sa, sb, 1)).toEqual([1]);
    expect(fuseDistances([1.5], [12], sa, sb, 0)).toEqual([1]);
    expect(fuseDistances([1.5], [6], sa, sb, 0.25)).toEqual([0.25 * 1 + 0.75 * -2]);
  });
  it('keeps the order of the pairs, so it is the same verifier up to scale when both inputs agree', () => {
    const a = [0.2, 0.9, 0.4];
    const s = scoreStats(a);
    const fused = fuseDistances(a, a, s, s);
    expect(fused.map((x) => x * s.sd + s.mean)).toEqual(a.map((x) => expect.closeTo(x, 12)));
  });
  it('refuses mismatched pairs or a bad weight', () => {
    const s = { mean: 0, sd: 1 };
    expect(() => fuseDistances([1], [1, 2], s, s)).toThrow(RangeError);
    expect(() => fuseDistances([1], [1], s, s, 1.5)).toThrow(RangeError);
  });
});
