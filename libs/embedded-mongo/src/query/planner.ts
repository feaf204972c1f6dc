import { Document } from 'bson';
import { CollMeta, ID_INDEX_NAME, IndexMeta } from '../storage/catalog';
import { KEY_MAX, KeyPrimitive, MAX_KEY_STRING, Tag, encodeValue } from '../storage/keys';

/** A closed interval of index-key prefixes (the exact filter is re-applied to every document). */
export interface Interval {
  start: unknown[];
  end: unknown[];
}

export type Plan =
  | { kind: 'ids'; ids: unknown[] }
  | {
      kind: 'ixscan';
      index: IndexMeta;
      intervals: Interval[];
      reverse: boolean;
      dedupe: boolean;
      sorted: boolean;
      /** Every document the intervals yield matches the filter (see {@link boundsDecide}): it need not be decoded to be tested. */
      decided?: boolean;
    }
  | { kind: 'collscan'; reverse: boolean; sorted: boolean };

type FieldBounds = { points: KeyPrimitive[][] } | { lo: unknown[]; hi: unknown[] };

const MAX_INTERVALS = 5000;

function isPlainObject(v: unknown): v is Document {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function isOperatorObject(v: unknown): v is Document {
  return isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));
}

/** A value usable as an exact index point: not a regex, not an array (array equality also matches elements). */
function pointable(v: unknown): boolean {
  if (v instanceof RegExp || Array.isArray(v)) return false;
  if ((v as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp') return false;
  if (isPlainObject(v)) return !Object.keys(v).some((k) => k.startsWith('$'));
  return true;
}

/** Whether other values key like `v`: it was cut or rounded, or it is as long as a cut string (their common prefix). */
function keyMayBeShared(v: unknown): boolean {
  const e = encodeValue(v);
  return e.truncated || (typeof e.part[1] === 'string' && e.part[1].length >= MAX_KEY_STRING);
}

function point(v: unknown): KeyPrimitive[] {
  const p = encodeValue(v).part;
  return [p[0], p[1]];
}

/** Constraints on `field` found at the top level of the filter or inside a top-level $and. */
function constraintsFor(filter: Document, field: string): unknown[] {
  const out: unknown[] = [];
  if (Object.prototype.hasOwnProperty.call(filter, field)) out.push(filter[field]);
  if (Array.isArray(filter.$and)) for (const sub of filter.$and) if (isPlainObject(sub)) out.push(...constraintsFor(sub, field));
  return out;
}

function boundsOf(c: unknown): FieldBounds | null {
  if (!isOperatorObject(c)) return pointable(c) ? { points: [point(c)] } : null;
  if ('$eq' in c) return pointable(c.$eq) ? { points: [point(c.$eq)] } : null;
  if ('$in' in c && Array.isArray(c.$in)) {
    if (!c.$in.every(pointable)) return null;
    const seen = new Map<string, KeyPrimitive[]>();
    for (const v of c.$in) seen.set(JSON.stringify(point(v)), point(v));
    return { points: [...seen.values()] };
  }
  const lower = '$gt' in c ? c.$gt : '$gte' in c ? c.$gte : undefined;
  const upper = '$lt' in c ? c.$lt : '$lte' in c ? c.$lte : undefined;
  const hasLower = '$gt' in c || '$gte' in c;
  const hasUpper = '$lt' in c || '$lte' in c;
  if (!hasLower && !hasUpper) return null;
  if ((hasLower && !pointable(lower)) || (hasUpper && !pointable(upper))) return null;
  // Comparison operators only match values of the same BSON type bracket, so the bound's tag caps the scan.
  const lp = hasLower ? point(lower) : null;
  const up = hasUpper ? point(upper) : null;
  const tag = (lp ?? up)![0];
  if (lp && up && lp[0] !== up[0]) return { points: [] };
  if (tag === Tag.Null || tag === Tag.MinKey || tag === Tag.MaxKey) return null;
  // Index entries are [prefix..., value, idTag, id] so an exact [value] bound sits below all entries
  // holding that value and [value, MAX] above them: that is what makes $gt/$lt exclusive. A bound
  // whose key may stand for other values too (a cut string, a rounded long) keeps that key in; the
  // filter, re-applied to every document, drops what does not match.
  const lo = lp ? ('$gt' in c && !keyMayBeShared(lower) ? [...lp, KEY_MAX] : lp) : [tag];
  const hi = up ? ('$lt' in c && !keyMayBeShared(upper) ? up : [...up, KEY_MAX]) : [tag, KEY_MAX];
  return { lo, hi };
}

function fieldBounds(filter: Document, field: string): FieldBounds | null {
  const cs = constraintsFor(filter, field);
  let best: FieldBounds | null = null;
  for (const c of cs) {
    const b = boundsOf(c);
    if (!b) continue;
    if ('points' in b) return b; // an equality set is always at least as selective
    best = b;
  }
  return best;
}

interface Candidate {
  ix: IndexMeta;
  intervals: Interval[];
  score: number;
}

function candidateFor(ix: IndexMeta, filter: Document): Candidate | null {
  let prefixes: unknown[][] = [[ix.id]];
  let score = 0;
  for (const f of ix.fields) {
    const b = fieldBounds(filter, f);
    if (!b) break;
    if ('points' in b) {
      const next: unknown[][] = [];
      for (const p of prefixes) for (const pt of b.points) next.push([...p, ...pt]);
      if (next.length > MAX_INTERVALS) break;
      prefixes = next;
      score += 2;
      continue;
    }
    score += 1;
    return { ix, score, intervals: prefixes.map((p) => ({ start: [...p, ...b.lo], end: [...p, ...b.hi] })) };
  }
  if (score === 0) return null;
  return { ix, score, intervals: prefixes.map((p) => ({ start: p, end: [...p, KEY_MAX] })) };
}

/** A scalar whose index key stands for exactly the values an equality on it matches (no cut string, no rounded number). */
function exactPoint(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      return !keyMayBeShared(v);
    case 'number':
      return Number.isFinite(v) && !keyMayBeShared(v);
    case 'boolean':
      return true;
    default:
      return (v as { _bsontype?: string } | null)?._bsontype === 'ObjectId';
  }
}

/**
 * Whether an index's point bounds already decide the filter: the filter is nothing but equalities
 * on plain scalars over the index's leading fields, and the index is not multikey (an array field
 * matches by element, and its documents come once per element). Then every candidate matches —
 * the common read by a key, e.g. one audit chain's records — and the server can pass the stored
 * bytes on without decoding them. Anything else (ranges, null, nested operators, collation, which
 * the caller checks) is tested document by document as before.
 */
export function boundsDecide(ix: IndexMeta, filter: Document): boolean {
  if (ix.multikey || ix.spec.sparse || ix.spec.partialFilterExpression) return false;
  const keys = Object.keys(filter);
  if (keys.length === 0 || keys.length > ix.fields.length) return false;
  const leading = new Set(ix.fields.slice(0, keys.length));
  return keys.every((k) => leading.has(k) && exactPoint(filter[k]));
}

/** Direction (1 / -1) in which walking `ix` yields `sort` order, or 0 if it cannot. */
function sortDirection(ix: IndexMeta, sort: Document | undefined): number {
  if (!sort) return 1;
  const keys = Object.keys(sort);
  if (keys.length === 0) return 1;
  if (keys.length > ix.fields.length) return 0;
  let dir = 0;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== ix.fields[i]) return 0;
    // Entries are stored ascending on every field whatever the index's declared direction,
    // so only a sort whose fields all share one direction can be read off the index.
    const rel = Math.sign(Number(sort[keys[i]]));
    if (rel === 0 || (dir !== 0 && rel !== dir)) return 0;
    dir = rel;
  }
  return dir;
}

function idPoints(filter: Document): unknown[] | null {
  for (const c of constraintsFor(filter, '_id')) {
    if (!isOperatorObject(c)) {
      if (pointable(c)) return [c];
      continue;
    }
    if ('$eq' in c && pointable(c.$eq)) return [c.$eq];
    if ('$in' in c && Array.isArray(c.$in) && c.$in.every(pointable)) return c.$in;
  }
  return null;
}

/**
 * Chooses how to find the documents of a filter: _id point lookups, a scan over the most
 * selective usable index prefix, or a collection scan. Sort is served by the index when the
 * walk order already matches it.
 */
export function plan(meta: CollMeta, filter: Document, sort?: Document): Plan {
  const ids = idPoints(filter);
  if (ids) return { kind: 'ids', ids };
  const usable = meta.indexes.filter((ix) => ix.btree && ix.spec.name !== ID_INDEX_NAME && !ix.spec.sparse && !ix.spec.partialFilterExpression);
  let best: Candidate | null = null;
  for (const ix of [...meta.indexes.filter((ix) => ix.btree && ix.spec.name !== ID_INDEX_NAME)]) {
    if ((ix.spec.sparse || ix.spec.partialFilterExpression) && !usable.includes(ix)) {
      // Sparse/partial indexes miss documents; only equality on a non-null value is safe there.
      continue;
    }
    const c = candidateFor(ix, filter);
    if (c && (!best || c.score > best.score || (c.score === best.score && ix.spec.unique && !best.ix.spec.unique))) best = c;
  }
  if (best) {
    const dir = sortDirection(best.ix, sort);
    const sorted = dir !== 0 && best.intervals.length === 1;
    return {
      kind: 'ixscan',
      index: best.ix,
      intervals: dir === -1 ? [...best.intervals].reverse() : best.intervals,
      reverse: dir === -1,
      dedupe: best.ix.multikey,
      sorted: sorted && (!best.ix.multikey || Object.keys(sort ?? {}).length === 0),
      decided: boundsDecide(best.ix, filter),
    };
  }
  const sortKeys = Object.keys(sort ?? {});
  if (sortKeys.length === 1 && sortKeys[0] === '_id') return { kind: 'collscan', reverse: Number(sort!._id) < 0, sorted: true };
  if (sortKeys.length) {
    for (const ix of usable) {
      const dir = sortDirection(ix, sort);
      if (dir !== 0 && !ix.multikey) {
        return { kind: 'ixscan', index: ix, intervals: [{ start: [ix.id], end: [ix.id, KEY_MAX] }], reverse: dir === -1, dedupe: false, sorted: true };
      }
    }
  }
  return { kind: 'collscan', reverse: false, sorted: sortKeys.length === 0 };
}
