import { FaceError } from './errors';
import { assertDescriptor, decideOutcome, distanceToReferences, euclideanDistance, needsMirrorPass } from './matching';

const unit = (i: number): number[] => Array.from({ length: 128 }, (_, j) => (j === i ? 1 : 0));

describe('matching', () => {
  it('euclideanDistance over 128 dims', () => {
    expect(euclideanDistance(unit(0), unit(0))).toBe(0);
    expect(euclideanDistance(unit(0), unit(1))).toBeCloseTo(Math.SQRT2, 6);
    expect(euclideanDistance(Float32Array.from(unit(3)), unit(3))).toBe(0);
  });

  it('a probe is as close to a person as their closest reference', () => {
    const probe = unit(0).map((v, j) => (j === 1 ? 0.1 : v));
    expect(distanceToReferences(probe, [unit(5), unit(0), unit(7)])).toBeCloseTo(0.1, 6);
    expect(distanceToReferences(probe, [])).toBe(Infinity);
  });

  it('decides match / mismatch / absent / multiple', () => {
    expect(decideOutcome(0, null, 0.5)).toBe('absent');
    expect(decideOutcome(2, null, 0.5)).toBe('multiple');
    expect(decideOutcome(1, 0.5, 0.5)).toBe('match');
    expect(decideOutcome(1, 0.5001, 0.5)).toBe('mismatch');
    expect(decideOutcome(1, null, 0.5)).toBe('mismatch');
  });

  it('refuses descriptors of the wrong length or with non-finite values', () => {
    expect(() => assertDescriptor(unit(0))).not.toThrow();
    expect(() => assertDescriptor(unit(0).slice(1))).toThrow(FaceError);
    expect(() => assertDescriptor(unit(0).map((v, j) => (j === 9 ? NaN : v)))).toThrow(FaceError);
    expect(() => assertDescriptor('x')).toThrow(FaceError);
  });

  it('asks for the mirror pass only when the one-pass distance is within the band around the threshold', () => {
    expect(needsMirrorPass(0.54, 0.54, 0.08)).toBe(true);
    expect(needsMirrorPass(0.47, 0.54, 0.08)).toBe(true);
    expect(needsMirrorPass(0.61, 0.54, 0.08)).toBe(true);
    expect(needsMirrorPass(0.45, 0.54, 0.08)).toBe(false);
    expect(needsMirrorPass(0.63, 0.54, 0.08)).toBe(false);
    // No references (Infinity) is never near; a NaN distance is never trusted to skip.
    expect(needsMirrorPass(Infinity, 0.54, 0.08)).toBe(false);
    expect(needsMirrorPass(NaN, 0.54, 0.08)).toBe(true);
    // Band Infinity = always; band 0 = only exactly on the threshold.
    expect(needsMirrorPass(0.1, 0.54, Infinity)).toBe(true);
    expect(needsMirrorPass(0.5, 0.54, 0)).toBe(false);
  });
});
