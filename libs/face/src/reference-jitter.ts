/**
 * Reference descriptors are averaged over a few chips shifted by a fraction of the face box.
 *
 * On a small face (60–110 px) the 68 landmarks — and so the aligned box the chip is cut from — move
 * by a pixel or two between two captures of the same pose, and the recogniser is sensitive to that
 * framing. Averaging the reference over small shifts of the box makes it the mean over those
 * framings, so a probe framed slightly differently lands closer to it. Measured (bench/face.ts,
 * libs/face/README.md): same-person distances shrink more than impostor ones; enrolment pays
 * the extra passes, verification none.
 */

/** Offsets (dx, dy) in units of the box side: the box itself, then ±step along x and y. step ≤ 0 → the box alone. */
export function referenceJitterOffsets(step: number): ReadonlyArray<readonly [number, number]> {
  if (!(step > 0) || !Number.isFinite(step)) return [[0, 0]];
  return [
    [0, 0],
    [step, 0],
    [-step, 0],
    [0, step],
    [0, -step],
  ];
}

/** Component-wise mean of equally long descriptors (mirror and jitter passes of one face). */
export function meanDescriptors(list: readonly Float32Array[]): Float32Array {
  if (list.length === 0) throw new RangeError('meanDescriptors needs at least one descriptor');
  const n = list[0].length;
  const out = new Float32Array(n);
  for (const d of list) {
    if (d.length !== n) throw new RangeError('descriptors differ in length');
    for (let i = 0; i < n; i++) out[i] += d[i];
  }
  for (let i = 0; i < n; i++) out[i] /= list.length;
  return out;
}
