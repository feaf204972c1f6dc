import { Document } from 'bson';

/**
 * Value representation for mingo (Binary is matched as a Buffer of its bytes, too): the wire layer already promotes int32, double and int64 that
 * fit 53 bits to JS numbers. Decimal128 and wide int64 stay wrapper objects (so they round-trip
 * with their type), and mingo cannot compare those with numbers; filters and documents are
 * therefore matched on a copy where they are numbers too. Stored and returned documents keep
 * their original types.
 */
function bsonType(v: unknown): string | undefined {
  return (v as { _bsontype?: string } | null)?._bsontype;
}

export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  const t = bsonType(v);
  if (t === 'Decimal128') return parseFloat((v as { toString(): string }).toString());
  if (t === 'Long') return Number((v as { toString(): string }).toString());
  if (t === 'Int32' || t === 'Double') return (v as { valueOf(): number }).valueOf();
  return undefined;
}

function needsCopy(v: unknown, depth: number, bin: boolean): boolean {
  if (v === null || typeof v !== 'object' || depth > 100) return false;
  const t = bsonType(v);
  if (t) return t === 'Decimal128' || t === 'Long' || t === 'Int32' || t === 'Double' || (bin && t === 'Binary');
  if (v instanceof Date || v instanceof RegExp || v instanceof Uint8Array) return false;
  if (Array.isArray(v)) return v.some((x) => needsCopy(x, depth + 1, bin));
  for (const k in v as Document) if (needsCopy((v as Document)[k], depth + 1, bin)) return true;
  return false;
}

function copy(v: unknown, bin: boolean): unknown {
  if (v === null || typeof v !== 'object') return v;
  const n = numericValue(v);
  if (n !== undefined) return n;
  if (bin && bsonType(v) === 'Binary') return new BinKey(v as { buffer: Uint8Array; position: number; sub_type: number });
  if (bsonType(v) || v instanceof Date || v instanceof RegExp || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map((x) => copy(x, bin));
  const out: Document = {};
  for (const k in v as Document) out[k] = copy((v as Document)[k], bin);
  return out;
}

/**
 * binData as mingo sees it: a value of its own type (so it never equals a string) whose string
 * form orders like mongod's binData comparison — length, then subtype, then bytes — and makes
 * equality, $in and ranges work on the bytes.
 */
export class BinKey {
  private readonly key: string;

  constructor(b: { buffer: Uint8Array; position: number; sub_type: number }) {
    const bytes = b.buffer.subarray(0, b.position);
    this.key = bytes.length.toString(16).padStart(8, '0') + b.sub_type.toString(16).padStart(2, '0') + Buffer.from(bytes).toString('hex');
  }

  toString(): string {
    return this.key;
  }

  valueOf(): string {
    return this.key;
  }
}

const originals = new WeakMap<object, object>();

/** The document with plain numbers for mingo's arithmetic and comparisons (updates, aggregation); same object when nothing changes. */
export function matchable<T>(doc: T): T {
  return needsCopy(doc, 0, false) ? (copy(doc, false) as T) : doc;
}

/** For query predicates only: also binData as BinKey. Never stored or returned. */
export function forMatching<T>(doc: T): T {
  if (!needsCopy(doc, 0, true)) return doc;
  const c = copy(doc, true) as T;
  if (c && typeof c === 'object' && doc && typeof doc === 'object') originals.set(c as object, doc as object);
  return c;
}

/** The typed document a matching copy was made from ($type needs the real BSON types). */
export function originalOf<T>(doc: T): T {
  return (doc && typeof doc === 'object' ? (originals.get(doc as object) as T | undefined) : undefined) ?? doc;
}
