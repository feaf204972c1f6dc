import { FaceError } from './errors';
import { DESCRIPTOR_LENGTH } from './types';

export type Descriptor = Float32Array | readonly number[];

export function euclideanDistance(a: Descriptor, b: Descriptor): number {
  let s = 0;
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Descriptors arrive from storage and clients; refuse anything that would silently compare as NaN. */
export function assertDescriptor(d: unknown, label = 'descriptor'): asserts d is Descriptor {
  const ok =
    (d instanceof Float32Array || Array.isArray(d)) &&
    d.length === DESCRIPTOR_LENGTH &&
    Array.prototype.every.call(d, (v: unknown) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) throw new FaceError('FACE_DESCRIPTOR_INVALID', { field: label });
}

/**
 * Distance of a probe to a person given all their references: the smallest one. Several references
 * taken under different light/pose each cover part of the person's appearance, so the closest one
 * is the right witness; FAR is held by the threshold measured with this same rule (bench/face.ts).
 */
export function distanceToReferences(probe: Descriptor, references: readonly Descriptor[]): number {
  let best = Infinity;
  for (const r of references) best = Math.min(best, euclideanDistance(probe, r));
  return best;
}

export type VerificationOutcome = 'match' | 'mismatch' | 'absent' | 'multiple';

export function decideOutcome(faceCount: number, distance: number | null, threshold: number): VerificationOutcome {
  if (faceCount === 0) return 'absent';
  if (faceCount > 1) return 'multiple';
  return distance !== null && distance <= threshold ? 'match' : 'mismatch';
}

/**
 * Whether a verification needs the mirror pass after a one-pass descriptor gave `distance`: only when
 * the distance is close enough to the threshold that the averaged descriptor could land on the other
 * side. `band` must exceed the largest one-pass/averaged distance gap (measured ≤ 0.07, bench/face.ts).
 */
export function needsMirrorPass(distance: number, threshold: number, band: number): boolean {
  return !(Math.abs(distance - threshold) > band);
}
