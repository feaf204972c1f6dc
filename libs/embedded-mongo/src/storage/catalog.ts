import { Document } from 'bson';
import { compileFilter } from '../query/view';

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

export interface IndexMeta {
  id: number;
  spec: IndexSpec;
  fields: string[];
  /** Plain ascending/descending keys are maintained; text/2dsphere/hashed are recorded only. */
  btree: boolean;
  /** Set once any document produced more than one key; scans then dedupe documents. */
  multikey: boolean;
  /**
   * 'exact': a unique index whose entries live in the store's `unique` database keyed by the
   * indexed values alone (the document id is the value), so the duplicate check on every write is
   * one lmdb lookup (or a no-overwrite put) instead of a range scan. Entries with a truncated value
   * keep the id in the key there, since two documents may share a truncated key. Absent: entries
   * in `index`, keyed [values…, id] (every non-unique index, and unique indexes built before this
   * layout existed — both layouts are read and written, so older data directories need no migration).
   */
  layout?: 'exact';
}

export interface CollMeta {
  id: number;
  db: string;
  name: string;
  options: Document;
  uuidHex: string;
  indexes: IndexMeta[];
}

export const ID_INDEX_NAME = '_id_';

export function ns(meta: Pick<CollMeta, 'db' | 'name'>): string {
  return `${meta.db}.${meta.name}`;
}

export function splitNs(namespace: string): { db: string; coll: string } {
  const dot = namespace.indexOf('.');
  return { db: namespace.slice(0, dot), coll: namespace.slice(dot + 1) };
}

export function isBtreeKey(key: Document): boolean {
  return Object.values(key).every((d) => d === 1 || d === -1 || (typeof d === 'number' && d !== 0));
}

export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${d}`)
    .join('_');
}

const partialCache = new WeakMap<IndexMeta, (doc: Document) => boolean>();

/** Whether a document belongs in an index (partialFilterExpression / sparse). */
export function indexCovers(ix: IndexMeta, doc: Document, hasPath: (d: Document, p: string) => boolean): boolean {
  const pfe = ix.spec.partialFilterExpression;
  if (pfe) {
    let test = partialCache.get(ix);
    if (!test) {
      test = compileFilter(pfe);
      partialCache.set(ix, test);
    }
    if (!test(doc)) return false;
  }
  if (ix.spec.sparse && !ix.fields.some((f) => hasPath(doc, f))) return false;
  return true;
}
