import { binomialCdf, rateUpperBound } from './binomial';

describe('rateUpperBound (exact one-sided binomial bound)', () => {
  it('matches the closed form when nothing was seen: 1 − (1 − level)^(1/n)', () => {
    for (const n of [1, 10, 240, 1321, 20000]) expect(rateUpperBound(0, n)).toBeCloseTo(1 - Math.pow(0.05, 1 / n), 9);
    expect(rateUpperBound(0, 240)).toBeCloseTo(0.01240, 5);
  });

  it('matches published Clopper–Pearson limits', () => {
    // 1 of 10: two-sided 90 % interval (0.0051, 0.3942) — its upper end is the one-sided 95 % bound.
    expect(rateUpperBound(1, 10)).toBeCloseTo(0.3942, 4);
    // 5 of 20: two-sided 95 % interval (0.0866, 0.4910) — one-sided 97.5 %.
    expect(rateUpperBound(5, 20, 0.975)).toBeCloseTo(0.4910, 4);
  });

  it('is where P(X ≤ k) equals 1 − level, and grows with what was seen', () => {
    for (const [k, n] of [[1, 197], [3, 1779], [54, 1779], [9, 10]]) {
      const p = rateUpperBound(k, n);
      expect(binomialCdf(k, n, p)).toBeCloseTo(0.05, 6);
      expect(p).toBeGreaterThan(k / n);
      expect(rateUpperBound(k + 1, n)).toBeGreaterThan(p);
    }
    expect(rateUpperBound(10, 10)).toBe(1);
  });

  it('sums large trials without underflow', () => {
    expect(binomialCdf(0, 20000, 0.5)).toBe(0);
    expect(binomialCdf(20000, 20000, 0.5)).toBeCloseTo(1, 9);
    expect(binomialCdf(10000, 20000, 0.5)).toBeCloseTo(0.5028, 3);
  });

  it('refuses counts that cannot be', () => {
    expect(() => rateUpperBound(-1, 10)).toThrow(RangeError);
    expect(() => rateUpperBound(11, 10)).toThrow(RangeError);
    expect(() => rateUpperBound(0, 0)).toThrow(RangeError);
    expect(() => rateUpperBound(0.5, 10)).toThrow(RangeError);
  });
});
