import { Document } from 'bson';
import { compare } from '../mingo-util';
import { Tag, encodeValue, pathValues } from '../storage/keys';
import { numericValue } from './numbers';

/** MongoDB comparison: BSON type bracket first (mongod's cross-type order), then value. */
export function compareValues(a: unknown, b: unknown, strings?: (a: string, b: string) => number): number {
  const ta = encodeValue(a).part[0];
  const tb = encodeValue(b).part[0];
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (strings && typeof a === 'string' && typeof b === 'string') return strings(a, b);
  if (ta === Tag.Number) {
    const x = numericValue(a)!;
    const y = numericValue(b)!;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compare(a, b);
}

/** The value a document sorts by: arrays sort by their smallest element ascending, largest descending. */
function sortKey(doc: Document, path: string, dir: number): unknown {
  const vals = pathValues(doc, path);
  let best = vals[0];
  for (let i = 1; i < vals.length; i++) {
    const c = compareValues(vals[i], best);
    if ((dir > 0 && c < 0) || (dir < 0 && c > 0)) best = vals[i];
  }
  return best;
}

export function comparator(sort: Document, strings?: (a: string, b: string) => number): (a: Document, b: Document) => number {
  const spec = Object.entries(sort).map(([path, d]) => {
    if (typeof d === 'object' && d !== null) return { path, dir: -1, meta: true }; // {$meta: ...}: no text scores here
    const dir = Number(d);
    return { path, dir: dir < 0 ? -1 : 1, meta: false };
  });
  return (a, b) => {
    for (const s of spec) {
      if (s.meta) continue;
      const c = compareValues(sortKey(a, s.path, s.dir), sortKey(b, s.path, s.dir), strings);
      if (c !== 0) return c * s.dir;
    }
    return 0;
  };
}

export function sortDocs<T>(items: T[], sort: Document | undefined, docOf: (t: T) => Document, strings?: (a: string, b: string) => number): T[] {
  if (!sort || Object.keys(sort).length === 0) return items;
  const cmp = comparator(sort, strings);
  // Array.prototype.sort is stable, which keeps insertion order for ties as mongod does for a collection scan.
  return items.sort((x, y) => cmp(docOf(x), docOf(y)));
}
