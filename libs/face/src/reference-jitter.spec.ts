import { meanDescriptors, referenceJitterOffsets } from './reference-jitter';

describe('referenceJitterOffsets', () => {
  it('is the box itself plus ±step along each axis', () => {
    expect(referenceJitterOffsets(0.03)).toEqual([
      [0, 0],
      [0.03, 0],
      [-0.03, 0],
      [0, 0.03],
      [0, -0.03],
    ]);
  });

  it('is the box alone when jitter is off or not a usable number', () => {
    for (const step of [0, -0.1, NaN, Infinity]) expect(referenceJitterOffsets(step)).toEqual([[0, 0]]);
  });

  it('offsets cancel out: the mean framing is the box itself', () => {
    const o = referenceJitterOffsets(0.05);
    expect(o.reduce((s, [dx]) => s + dx, 0)).toBeCloseTo(0, 12);
    expect(o.reduce((s, [, dy]) => s + dy, 0)).toBeCloseTo(0, 12);
  });
});

describe('meanDescriptors', () => {
  it('averages component-wise', () => {
    const m = meanDescriptors([Float32Array.from([1, 2, 3]), Float32Array.from([3, 2, 1]), Float32Array.from([2, 5, -1])]);
    expect(Array.from(m)).toEqual([2, 3, 1]);
  });

  it('returns a copy for a single descriptor', () => {
    const d = Float32Array.from([0.5, -0.5]);
    const m = meanDescriptors([d]);
    expect(Array.from(m)).toEqual([0.5, -0.5]);
    expect(m).not.toBe(d);
  });

  it('refuses an empty list and mixed lengths', () => {
    expect(() => meanDescriptors([])).toThrow(RangeError);
    expect(() => meanDescriptors([new Float32Array(2), new Float32Array(3)])).toThrow(RangeError);
  });
});
