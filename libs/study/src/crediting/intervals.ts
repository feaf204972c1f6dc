/**
 * Sets of whole lesson seconds as sorted, disjoint, non-adjacent half-open intervals [start, end).
 * Whole seconds, because "each lesson second is earned once" must survive any number of sessions
 * without floating-point residue: the ledger sums these lengths and drift must be exactly 0.
 */
export type Interval = readonly [start: number, end: number];
export type IntervalSet = readonly Interval[];

function isWholeRange(i: Interval): boolean {
  return Number.isSafeInteger(i[0]) && Number.isSafeInteger(i[1]) && i[0] >= 0;
}

/** Sorts, drops empty ranges and merges overlapping or touching ones. Rejects non-integer bounds. */
export function normalize(intervals: readonly Interval[]): IntervalSet {
  for (const i of intervals) {
    if (!isWholeRange(i)) throw new RangeError(`interval bounds must be non-negative integers: [${i[0]}, ${i[1]})`);
  }
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function union(a: IntervalSet, b: IntervalSet): IntervalSet {
  return normalize([...a, ...b]);
}

/** The parts of `range` not covered by `set`. */
export function subtract(range: Interval, set: IntervalSet): IntervalSet {
  const out: Interval[] = [];
  let cursor = range[0];
  for (const [s, e] of set) {
    if (e <= cursor) continue;
    if (s >= range[1]) break;
    if (s > cursor) out.push([cursor, Math.min(s, range[1])]);
    cursor = Math.max(cursor, e);
    if (cursor >= range[1]) break;
  }
  if (cursor < range[1]) out.push([cursor, range[1]]);
  return out;
}

/** The seconds of `from` not in `remove` (set difference, one range of `from` at a time). */
export function difference(from: IntervalSet, remove: IntervalSet): IntervalSet {
  return remove.length === 0 ? from : from.flatMap((range) => subtract(range, remove));
}

/** The parts of `range` covered by `set`. */
export function intersect(range: Interval, set: IntervalSet): IntervalSet {
  const out: Interval[] = [];
  for (const [s, e] of set) {
    const lo = Math.max(s, range[0]);
    const hi = Math.min(e, range[1]);
    if (hi > lo) out.push([lo, hi]);
  }
  return out;
}

export function total(set: IntervalSet): number {
  return set.reduce((sum, [s, e]) => sum + (e - s), 0);
}

/** The first `seconds` seconds of a set (in lesson order), and what is left over. */
export function takeFirst(set: IntervalSet, seconds: number): { taken: IntervalSet; rest: IntervalSet } {
  const taken: Interval[] = [];
  const rest: Interval[] = [];
  let left = Math.max(0, Math.floor(seconds));
  for (const [s, e] of set) {
    const n = Math.min(left, e - s);
    if (n > 0) taken.push([s, s + n]);
    if (s + n < e) rest.push([s + n, e]);
    left -= n;
  }
  return { taken, rest };
}
