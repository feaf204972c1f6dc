import { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors';
import { BinKey, originalOf } from './numbers';

/**
 * mingo's $type knows JS types only (no objectId, binData, timestamp, minKey…). Query filters
 * have `$type` rewritten to this operator, which knows every BSON alias and number.
 */
const ALIASES: Record<string, string> = {
  '1': 'double', '2': 'string', '3': 'object', '4': 'array', '5': 'binData', '6': 'undefined', '7': 'objectId',
  '8': 'bool', '9': 'date', '10': 'null', '11': 'regex', '13': 'javascript', '16': 'int', '17': 'timestamp',
  '18': 'long', '19': 'decimal', '-1': 'minKey', '127': 'maxKey',
};
const KNOWN = new Set([...Object.values(ALIASES), 'number']);

function typeMatches(v: unknown, want: string): boolean {
  if (v === undefined) return false;
  if (v === null) return want === 'null';
  switch (typeof v) {
    case 'string':
      return want === 'string';
    case 'boolean':
      return want === 'bool';
    case 'number':
      // Stored int32 and fractional doubles are plain numbers (int64, decimal and integral doubles
      // stay wrappers, see liftNumbers), so a plain number's type follows from its value.
      if (want === 'number') return true;
      if (want === 'int') return Number.isInteger(v) && Math.abs(v) < 2 ** 31;
      if (want === 'double') return !Number.isInteger(v) || Math.abs(v) >= 2 ** 31;
      return false;
  }
  if (Array.isArray(v)) return want === 'array';
  if (v instanceof Date) return want === 'date';
  if (v instanceof Uint8Array || v instanceof BinKey) return want === 'binData';
  if (v instanceof RegExp) return want === 'regex';
  const t = (v as { _bsontype?: string })._bsontype;
  switch (t) {
    case 'ObjectId':
      return want === 'objectId';
    case 'Binary':
      return want === 'binData';
    case 'Timestamp':
      return want === 'timestamp';
    case 'MinKey':
      return want === 'minKey';
    case 'MaxKey':
      return want === 'maxKey';
    case 'Code':
      return want === 'javascript';
    case 'Decimal128':
      return want === 'decimal' || want === 'number';
    case 'Long':
      return want === 'long' || want === 'number';
    case 'Double':
      return want === 'double' || want === 'number';
    case 'Int32':
      return want === 'int' || want === 'number';
    case 'BSONRegExp':
      return want === 'regex';
    case undefined:
      return want === 'object';
  }
  return false;
}

function valuesAt(doc: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(doc);
    if (Array.isArray(doc)) for (const el of doc) out.push(el);
    return;
  }
  if (Array.isArray(doc)) {
    if (/^\d+$/.test(parts[i])) valuesAt(doc[Number(parts[i])], parts, i + 1, out);
    for (const el of doc) if (el && typeof el === 'object' && !Array.isArray(el)) valuesAt(el, parts, i, out);
    return;
  }
  if (doc === null || typeof doc !== 'object') return;
  valuesAt((doc as Document)[parts[i]], parts, i + 1, out);
}

export function normalizeTypes(spec: unknown): string[] {
  const list = Array.isArray(spec) ? spec : [spec];
  return list.map((t) => {
    const name = typeof t === 'number' ? ALIASES[String(t)] : String(t);
    if (!name || !KNOWN.has(name)) throw new CommandError(ErrorCodes.BadValue, `Unknown type name alias: ${String(t)}`);
    return name;
  });
}

export const $bsonType = (selector: string, value: unknown) => {
  const wants = normalizeTypes(value);
  const parts = selector.split('.');
  return (obj: unknown): boolean => {
    const vals: unknown[] = [];
    valuesAt(originalOf(obj), parts, 0, vals);
    return vals.some((v) => wants.some((w) => typeMatches(v, w)));
  };
};

/** Rewrites field-level `$type` into `$bsonType` throughout a query filter. */
export function rewriteTypeOperator(filter: unknown, inField = false): unknown {
  if (Array.isArray(filter)) return filter.map((f) => rewriteTypeOperator(f, inField));
  if (filter === null || typeof filter !== 'object' || (filter as { _bsontype?: string })._bsontype || filter instanceof Date || filter instanceof RegExp || filter instanceof Uint8Array) return filter;
  const out: Document = {};
  for (const [k, v] of Object.entries(filter as Document)) {
    if (!inField && !k.startsWith('$') && v && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as Document).$all) && Object.keys(v).length === 1) {
      // mongod defines $all as an $and of equalities, which also matches a scalar field ({a: 4} for $all: [4]).
      const parts = ((v as Document).$all as unknown[]).map((el) => ({ [k]: rewriteTypeOperator(el, true) }));
      out.$and = [...((out.$and as Document[]) ?? []), ...(parts.length ? parts : [{ [k]: { $in: [] } }])];
      continue;
    }
    if (k === '$type' && inField) out.$bsonType = v;
    else if (k === '$expr' || k === '$where' || k === '$jsonSchema') out[k] = v;
    else out[k] = rewriteTypeOperator(v, !k.startsWith('$') || k === '$elemMatch' || k === '$not' || (inField && k !== '$and' && k !== '$or' && k !== '$nor'));
  }
  return out;
}
