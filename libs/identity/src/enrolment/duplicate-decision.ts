import type { SearchHit } from '@app/face';
import type { FaceMatch } from './face-reference.entity';

export interface DuplicateDecision {
  /** Another trainee of the program has a face within the threshold: hold the enrolment for review. */
  held: boolean;
  /** One entry per other trainee (their closest reference), closest first. */
  matches: FaceMatch[];
}

/**
 * Whether a new reference of `traineeId` looks like someone else in the program. The trainee's
 * own earlier references are not evidence of anything; several references of another trainee
 * count as one match (the closest).
 */
export function duplicateDecision(hits: readonly SearchHit[], traineeId: string, threshold: number): DuplicateDecision {
  const closest = new Map<string, FaceMatch>();
  for (const h of hits) {
    if (h.subjectId === traineeId || !(h.distance <= threshold)) continue;
    const seen = closest.get(h.subjectId);
    if (!seen || h.distance < seen.distance) {
      closest.set(h.subjectId, { traineeId: h.subjectId, referenceId: h.id, distance: Math.round(h.distance * 10_000) / 10_000 });
    }
  }
  const matches = [...closest.values()].sort((a, b) => a.distance - b.distance);
  return { held: matches.length > 0, matches };
}

/** Statuses whose descriptors stand for a person in the program (a held face is still someone's face). */
export const GALLERY_STATUSES = new Set(['active', 'held_for_review']);

/** Sniffs the stored image type from its first bytes (the engine has already decoded it). */
export function imageTypeOf(bytes: Uint8Array): { contentType: string; ext: string } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { contentType: 'image/jpeg', ext: 'jpg' };
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return { contentType: 'image/png', ext: 'png' };
  const riff = Buffer.from(bytes.subarray(0, 12)).toString('latin1');
  if (riff.startsWith('RIFF') && riff.slice(8) === 'WEBP') return { contentType: 'image/webp', ext: 'webp' };
  return undefined;
}
