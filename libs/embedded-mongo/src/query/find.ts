import { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError } from '../errors';
import { CollMeta } from '../storage/catalog';
import { CursorSource, Skippable, keepIf, pull, pullAll } from './cursor';
import { sortDocs } from './sort';
import { docNearDistance, normalizeNear } from './geo';
import { TextSpec, textScore } from './text';
import { Collation, applyCollation, stringComparator } from './collation';
import { maxTimeExpired } from './where';
import { matchable } from './numbers';
import { DocRef, View, compileFilter } from './view';
import { RawDocument } from '../wire/frames';

export interface FindSpec {
  filter: Document;
  sort?: Document;
  projection?: Document;
  skip?: number;
  limit?: number;
  /** Absolute time (ms) after which the query fails with MaxTimeMSExpired. */
  deadline?: number;
  collation?: Collation;
}

/** Applies a find projection with mingo; the query is passed so positional `a.$` projections work. */
/** mongod refuses projections that mix inclusion and exclusion (other than excluding _id). */
export function validateProjection(projection: Document): void {
  let inc: string | undefined;
  let exc: string | undefined;
  for (const [k, v] of Object.entries(projection)) {
    if (k === '_id') continue;
    const isExclusion = v === 0 || v === false;
    if (isExclusion) exc ??= k;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') inc ??= k;
    if (inc && exc) {
      const [name, kind] = isExclusion ? [exc, 'exclusion'] : [inc, 'inclusion'];
      throw new CommandError(31254, `Cannot do ${kind} on field ${name} in ${kind === 'exclusion' ? 'inclusion' : 'exclusion'} projection`);
    }
  }
}

function isSpecial(v: unknown): v is Document {
  return typeof v === 'object' && v !== null && ('$elemMatch' in v || '$slice' in v);
}

function getPath(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Document)[p];
  }
  return cur;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (typeof cur[parts[i]] !== 'object' || cur[parts[i]] === null) return;
    cur = cur[parts[i]] as Document;
  }
  cur[parts[parts.length - 1]] = value;
}

function sliceArray(arr: unknown[], spec: unknown): unknown[] {
  if (Array.isArray(spec)) {
    const [skip, n] = spec.map(Number);
    const start = skip < 0 ? Math.max(arr.length + skip, 0) : skip;
    return arr.slice(start, start + n);
  }
  const n = Number(spec);
  return n < 0 ? arr.slice(Math.max(arr.length + n, 0)) : arr.slice(0, n);
}

/**
 * Applies a find projection. mingo handles plain inclusion/exclusion and positional `a.$`; the
 * `$elemMatch` and `$slice` operators are done here because mingo treats them as inclusions
 * (mongod: `$slice` alone keeps the other fields) and does not wrap operator-only `$elemMatch`.
 */
export function projector(filter: Document, projection: Document | undefined): (docs: Document[]) => Document[] {
  if (!projection || Object.keys(projection).length === 0) return (docs) => docs;
  const special = Object.entries(projection).filter(([, v]) => isSpecial(v));
  const rest: Document = Object.fromEntries(Object.entries(projection).filter(([, v]) => !isSpecial(v)));
  validateProjection(rest);
  const elemMatches = special.filter(([, v]) => '$elemMatch' in v).map(([k, v]) => ({ path: k, test: compileFilter({ v: { $elemMatch: v.$elemMatch } }) }));
  const slices = special.filter(([, v]) => '$slice' in v).map(([k, v]) => ({ path: k, spec: v.$slice }));
  const restKeys = Object.keys(rest).filter((k) => k !== '_id');
  const inclusive = restKeys.some((k) => rest[k] !== 0 && rest[k] !== false);
  // $elemMatch alone behaves like an inclusion of its field.
  if (!inclusive && elemMatches.length && !restKeys.length) {
    for (const e of elemMatches) rest[e.path] = 1;
  } else if (inclusive) {
    for (const e of [...elemMatches, ...slices]) rest[e.path] = 1;
  }
  const positional = Object.keys(rest).some((k) => k.endsWith('.$'));
  const q = new Query(positional ? filter : {});
  const base = Object.keys(rest).length ? (docs: Document[]) => q.find(docs, rest).all() as Document[] : (docs: Document[]) => docs;
  return (docs) =>
    base(docs).map((o, i) => {
      const src = docs[i];
      for (const e of elemMatches) {
        const arr = getPath(src, e.path);
        const hit = Array.isArray(arr) ? arr.find((el) => e.test({ v: [el] })) : undefined;
        if (hit === undefined) delete o[e.path];
        else o[e.path] = [hit];
      }
      for (const s of slices) {
        const arr = getPath(src, s.path);
        if (Array.isArray(arr) && getPath(o, s.path) !== undefined) setPath(o, s.path, sliceArray(arr, s.spec));
      }
      if (!('_id' in o) || Object.keys(o)[0] === '_id') return o;
      const { _id, ...restDoc } = o;
      return { _id, ...restDoc };
    });
}

function isMeta(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Document).$meta === 'textScore';
}

function isMetaSort(sort: Document): boolean {
  return Object.values(sort).some(isMeta);
}

/** A lazily evaluated find: candidates stream from lmdb, only an unindexed sort materialises matches. */
export function findSource(view: View, meta: CollMeta | undefined, given: FindSpec, onClose?: () => void): CursorSource {
  const collation = given.collation ?? (meta?.options.collation as Collation | undefined);
  const spec: FindSpec = { ...given, filter: applyCollation(given.filter, collation) };
  const strings = stringComparator(collation);
  // Compiled up front so a bad filter fails the command even when the collection does not exist.
  const test = compileFilter(spec.filter, spec.deadline);
  let it: Iterator<Skippable<DocRef>> | null = null;
  let skipped = 0;
  let returned = 0;
  const limit = spec.limit && spec.limit > 0 ? spec.limit : 0;
  const scores = new Map<Document, number>();
  const metaFields = Object.entries(spec.projection ?? {}).filter(([, v]) => isMeta(v)).map(([k]) => k);
  const projection = metaFields.length ? Object.fromEntries(Object.entries(spec.projection!).filter(([, v]) => !isMeta(v))) : spec.projection;
  const baseProject = projector(spec.filter, projection);
  // Documents returned whole leave as the bytes they are stored as.
  const unprojected = !metaFields.length && (!projection || Object.keys(projection).length === 0);
  const project = metaFields.length
    ? (docs: Document[]) => baseProject(docs).map((d, i) => ({ ...d, ...Object.fromEntries(metaFields.map((f) => [f, scores.get(docs[i]) ?? 0])) }))
    : baseProject;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    // Finish the generator first: an abandoned lmdb range iterator keeps its read snapshot alive,
    // which stops lmdb from reusing pages (the file and RSS then grow with every write).
    it?.return?.(undefined);
    onClose?.();
  };
  return {
    async next(n) {
      if (!meta || closed) return { docs: [], done: true };
      if (!it) {
        const c = view.candidates(meta, spec.filter, strings ? undefined : spec.sort);
        const deadline = spec.deadline;
        // Bounds that decide the filter (and no collation reshaping it): the documents pass as stored, undecoded.
        const matches = c.exact && !collation && deadline === undefined
          ? c.iter[Symbol.iterator]()
          : keepIf(c.iter, deadline === undefined ? (r: DocRef) => test(r.doc) : (r: DocRef) => {
              if (Date.now() > deadline) throw maxTimeExpired();
              return test(r.doc);
            });
        const hasSort = !!spec.sort && Object.keys(spec.sort).length > 0;
        const near = normalizeNear(spec.filter).near;
        const text = spec.filter.$text as TextSpec | undefined;
        if (text && (!hasSort || isMetaSort(spec.sort!))) {
          // Text search results carry a score; sorting on {$meta: 'textScore'} orders by it.
          const all = (await pullAll(matches)).map((r) => ({ r, score: textScore(matchable(r.doc), text) }));
          if (hasSort) all.sort((a, b) => b.score - a.score);
          for (const x of all) scores.set(x.r.doc, x.score);
          it = all.map((x) => x.r)[Symbol.iterator]();
        } else if (near && !hasSort) {
          // $near / $nearSphere return documents nearest first.
          const all = (await pullAll(matches)).map((r) => ({ r, d: docNearDistance(matchable(r.doc), near.path, near.spec) }));
          all.sort((a, b) => a.d - b.d);
          it = all.map((x) => x.r)[Symbol.iterator]();
        } else if (hasSort && (!c.sorted || strings)) {
          const all = sortDocs(await pullAll(matches), spec.sort, (r) => r.doc, strings);
          it = all[Symbol.iterator]();
        } else it = matches;
      }
      while (skipped < (spec.skip ?? 0)) {
        const { items, done } = await pull(it, Math.min(10_000, (spec.skip ?? 0) - skipped));
        skipped += items.length;
        if (done) return { docs: [], done: true };
      }
      const want = limit ? Math.min(n, limit - returned) : n;
      const { items, done } = await pull(it, want, (r) => r.bytes.length);
      returned += items.length;
      const docs = unprojected ? items.map((r) => new RawDocument(r.bytes) as unknown as Document) : project(items.map((r) => r.doc));
      return { docs, done: done || (limit > 0 && returned >= limit) };
    },
    close,
  };
}
