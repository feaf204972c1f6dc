import { Document } from 'bson';

/**
 * Collation support for find: mongod compares strings with ICU; here strength 1–2 (the
 * case-insensitive levels apps use) become case-insensitive regexes for equality and $in, and
 * an Intl.Collator for sorting. Strength 3 (the default) is plain binary comparison.
 */
export interface Collation {
  locale?: string;
  strength?: number;
}

export function isCaseInsensitive(c: Collation | undefined): c is Collation {
  return !!c && typeof c.locale === 'string' && c.locale !== 'simple' && Number(c.strength ?? 3) <= 2;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ci = (s: string): RegExp => new RegExp(`^${escape(s)}$`, 'i');

function rewriteCondition(v: unknown): unknown {
  if (typeof v === 'string') return ci(v);
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Document;
    const out: Document = {};
    for (const [k, x] of Object.entries(o)) {
      if (k === '$eq' && typeof x === 'string') out.$regex = ci(x);
      else if ((k === '$in' || k === '$nin') && Array.isArray(x)) out[k] = x.map((e) => (typeof e === 'string' ? ci(e) : e));
      else if (k === '$ne' && typeof x === 'string') out.$not = ci(x);
      else out[k] = x;
    }
    return out;
  }
  return v;
}

/** String equalities become case-insensitive matches (and so also skip binary index lookups). */
export function applyCollation(filter: Document, c: Collation | undefined): Document {
  if (!isCaseInsensitive(c)) return filter;
  const out: Document = {};
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' || k === '$or' || k === '$nor') out[k] = Array.isArray(v) ? v.map((x) => applyCollation(x as Document, c)) : v;
    else if (k.startsWith('$')) out[k] = v;
    else out[k] = rewriteCondition(v);
  }
  return out;
}

export function stringComparator(c: Collation | undefined): ((a: string, b: string) => number) | undefined {
  if (!isCaseInsensitive(c)) return undefined;
  const collator = new Intl.Collator(c.locale!.replace('_', '-'), { sensitivity: Number(c.strength) === 1 ? 'base' : 'accent' });
  return (a, b) => collator.compare(a, b);
}
