import { BSON, Binary, Decimal128, Document, Long, ObjectId, Timestamp } from 'bson';

/**
 * Index keys are lmdb `ordered-binary` arrays of [typeTag, value] pairs. The tags reproduce
 * MongoDB's cross-type comparison order (BSON spec "Comparison/Sort Order"), and within a tag the
 * value is a JS primitive that ordered-binary orders naturally, so an lmdb range scan walks an
 * index in exactly mongod's order.
 */
export const Tag = {
  MinKey: 1,
  Null: 5, // null and missing share a key, as in mongod indexes
  NaN: 9,
  Number: 10,
  String: 15,
  Object: 20,
  Array: 25,
  BinData: 30,
  ObjectId: 35,
  Boolean: 40,
  Date: 45,
  Timestamp: 47,
  RegExp: 50,
  MaxKey: 127,
} as const;

export type KeyPrimitive = string | number | boolean | null;
export type KeyPart = [number, KeyPrimitive];

/** Upper sentinel: ordered-binary sorts a 0xff buffer after every primitive it encodes. */
export const KEY_MAX = Buffer.from([0xff]);

/** Strings longer than this are cut in keys; lookups always re-check real values, so keys only narrow. */
export const MAX_KEY_STRING = 160;

// ordered-binary uses NUL as the array delimiter, so strings must not contain it; this escape keeps order.
function escapeString(s: string): { value: string; truncated: boolean } {
  let v = s.indexOf('\u0000') >= 0 || s.indexOf('\u0001') >= 0 ? s.split('\u0001').join('\u0001\u0002').split('\u0000').join('\u0001\u0001') : s;
  const truncated = v.length > MAX_KEY_STRING;
  if (truncated) v = v.slice(0, MAX_KEY_STRING);
  return { value: v, truncated };
}

function bsonHex(value: unknown): string {
  return Buffer.from(BSON.serialize({ v: value })).toString('hex');
}

function bsonTypeName(v: unknown): string | undefined {
  return (v as { _bsontype?: string } | null)?._bsontype;
}

export interface EncodedPart {
  part: KeyPart;
  /** The key holds only a prefix of the value, so equality must be confirmed on the document. */
  truncated: boolean;
}

export function encodeValue(v: unknown): EncodedPart {
  if (v === null || v === undefined) return { part: [Tag.Null, null], truncated: false };
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return { part: [Tag.NaN, null], truncated: false };
      return { part: [Tag.Number, v === 0 ? 0 : v], truncated: false };
    case 'bigint':
      return { part: [Tag.Number, Number(v)], truncated: false };
    case 'string': {
      const e = escapeString(v);
      return { part: [Tag.String, e.value], truncated: e.truncated };
    }
    case 'boolean':
      return { part: [Tag.Boolean, v], truncated: false };
  }
  if (v instanceof Date) return { part: [Tag.Date, v.getTime()], truncated: false };
  if (v instanceof RegExp) return { part: [Tag.RegExp, escapeString(v.source + '/' + v.flags).value], truncated: true };
  if (Array.isArray(v)) return hashed(Tag.Array, v);
  switch (bsonTypeName(v)) {
    case 'ObjectId':
    case 'ObjectID':
      return { part: [Tag.ObjectId, (v as ObjectId).toHexString()], truncated: false };
    case 'Long':
      return { part: [Tag.Number, Number((v as Long).toString())], truncated: true };
    case 'Int32':
    case 'Double':
      return { part: [Tag.Number, (v as { valueOf(): number }).valueOf()], truncated: false };
    case 'Decimal128': {
      const n = parseFloat((v as Decimal128).toString());
      return Number.isNaN(n) ? { part: [Tag.NaN, null], truncated: true } : { part: [Tag.Number, n], truncated: true };
    }
    case 'Binary': {
      const b = v as Binary;
      // mongod orders binData by length, then subtype, then bytes.
      const len = b.position.toString(16).padStart(8, '0');
      const sub = b.sub_type.toString(16).padStart(2, '0');
      const hex = Buffer.from(b.buffer.subarray(0, b.position)).toString('hex');
      const value = len + sub + hex;
      return { part: [Tag.BinData, value.slice(0, MAX_KEY_STRING)], truncated: value.length > MAX_KEY_STRING };
    }
    case 'Timestamp': {
      const t = v as Timestamp;
      return { part: [Tag.Timestamp, t.high.toString(16).padStart(8, '0') + t.low.toString(16).padStart(8, '0')], truncated: false };
    }
    case 'MinKey':
      return { part: [Tag.MinKey, null], truncated: false };
    case 'MaxKey':
      return { part: [Tag.MaxKey, null], truncated: false };
  }
  return hashed(Tag.Object, v);
}

// Embedded documents and arrays key on their BSON bytes: exact equality is what unique
// indexes and equality lookups need; their relative order inside the tag is not mongod's.
function hashed(tag: number, v: unknown): EncodedPart {
  const hex = bsonHex(v);
  return { part: [tag, hex.slice(0, MAX_KEY_STRING)], truncated: hex.length > MAX_KEY_STRING };
}

/** The lmdb key of a document: [collectionId, tag, value] of its _id. */
export function docKey(collId: number, id: unknown): KeyPrimitive[] {
  const e = encodeValue(id);
  return [collId, e.part[0], e.part[1]];
}

export function docKeyString(key: readonly KeyPrimitive[]): string {
  return JSON.stringify(key);
}

const MISSING = Symbol('missing');

/**
 * All values a dotted path reaches, descending through arrays the way mongod's multikey indexes
 * do. An array at the end of the path contributes each element; an empty array keys as null.
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out.length ? out : [null];
}

function collect(v: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(null);
      else for (const el of v) out.push(el);
    } else out.push(v === MISSING ? null : v);
    return;
  }
  if (v === null || v === undefined || typeof v !== 'object' || isBsonScalar(v)) {
    out.push(null);
    return;
  }
  if (Array.isArray(v)) {
    const p = parts[i];
    if (/^\d+$/.test(p) && Number(p) < v.length) {
      collect(v[Number(p)], parts, i + 1, out);
      return;
    }
    let any = false;
    for (const el of v) {
      if (el !== null && typeof el === 'object' && !Array.isArray(el) && !isBsonScalar(el)) {
        any = true;
        collect(el, parts, i, out);
      }
    }
    if (!any) out.push(null);
    return;
  }
  const o = v as Record<string, unknown>;
  collect(Object.prototype.hasOwnProperty.call(o, parts[i]) ? o[parts[i]] : MISSING, parts, i + 1, out);
}

function isBsonScalar(v: object): boolean {
  return v instanceof Date || v instanceof RegExp || bsonTypeName(v) !== undefined;
}

/** True when at least one field of the path is present (not null-by-absence); used by sparse indexes. */
export function hasPath(doc: unknown, path: string): boolean {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return false;
    if (Array.isArray(cur)) return cur.some((el) => hasPath(el, p));
    if (!Object.prototype.hasOwnProperty.call(cur, p)) return false;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur !== undefined;
}

export interface IndexKeyEntry {
  /** Key parts for the indexed fields (without index id or document id). */
  parts: KeyPrimitive[];
  /** The field values this entry was built from, for keyValue in duplicate-key errors. */
  values: unknown[];
  truncated: boolean;
}

const MAX_KEYS_PER_DOC = 10_000;

/** Every index entry a document produces for a key pattern (cartesian product over multikey fields). */
export function indexEntries(doc: Document, fields: readonly string[]): IndexKeyEntry[] {
  let acc: IndexKeyEntry[] = [{ parts: [], values: [], truncated: false }];
  for (const f of fields) {
    const seen = new Set<string>();
    const vals: Array<{ enc: EncodedPart; raw: unknown }> = [];
    for (const raw of pathValues(doc, f)) {
      const enc = encodeValue(raw);
      const sig = JSON.stringify(enc.part);
      if (seen.has(sig)) continue;
      seen.add(sig);
      vals.push({ enc, raw });
    }
    const next: IndexKeyEntry[] = [];
    for (const a of acc) {
      for (const { enc, raw } of vals) {
        next.push({ parts: [...a.parts, enc.part[0], enc.part[1]], values: [...a.values, raw], truncated: a.truncated || enc.truncated });
      }
    }
    if (next.length > MAX_KEYS_PER_DOC) throw new Error(`document produces more than ${MAX_KEYS_PER_DOC} index keys`);
    acc = next;
  }
  return acc;
}
