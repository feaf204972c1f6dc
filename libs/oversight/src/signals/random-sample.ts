import { createHash } from 'node:crypto';
import type { Signal, Subject } from './signal';

/** Where a subject falls in [0, 1): a hash of the seed and its id, so a draw is the same at every refresh. */
export function drawOf(seed: string, subject: Pick<Subject, 'kind' | 'id'>): number {
  const h = createHash('sha256').update(`${seed}\u0000${subject.kind}\u0000${subject.id}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

/**
 * A random sample of ordinary subjects at `rate`, so honest-looking work is checked too and nobody
 * can tell from the signals alone what will be looked at. Facts: none but the subject itself. The
 * draw is seeded (a deployment secret), not per refresh: a refresh never re-rolls the dice.
 */
export function randomSampleSignals(subjects: readonly Subject[], rate: number, seed: string): Signal[] {
  if (!(rate > 0)) return [];
  return subjects
    .filter((s) => drawOf(seed, s) < rate)
    .map((subject) => ({ code: 'random-sample' as const, subject, strength: 1, detail: `随机抽查（抽样比例 ${(rate * 100).toFixed(1)}%）`, facts: [] }));
}
