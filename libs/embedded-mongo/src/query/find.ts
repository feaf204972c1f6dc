import { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError } from '../errors';
import { CollMeta } from '../storage/catalog';
import { CursorSource, pull, pullAll } from './cursor';
import { sortDocs } from './sort';
import { DocRef, View, compileFilter } from './view';

export interface FindSpec {
  filter: Document;
  sort?: Document;
  projection?: Document;
  skip?: number;
  limit?: number;
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

export function projector(filter: Document, projection: Document | undefined): (docs: Document[]) => Document[] {
  if (!projection || Object.keys(projection).length === 0) return (docs) => docs;
  validateProjection(projection);
  const positional = Object.keys(projection).some((k) => k.endsWith('.$'));
  const q = new Query(positional ? filter : {});
  return (docs) =>
    q
      .find(docs, projection)
      .all()
      .map((d) => {
        const o = d as Document;
        if (!('_id' in o) || Object.keys(o)[0] === '_id') return o;
        const { _id, ...rest } = o;
        return { _id, ...rest };
      });
}

function* filtered(it: Iterable<DocRef>, test: (d: Document) => boolean): Generator<DocRef> {
  for (const r of it) if (test(r.doc)) yield r;
}

/** A lazily evaluated find: candidates stream from lmdb, only an unindexed sort materialises matches. */
export function findSource(view: View, meta: CollMeta | undefined, spec: FindSpec, onClose?: () => void): CursorSource {
  let it: Iterator<DocRef> | null = null;
  let skipped = 0;
  let returned = 0;
  const limit = spec.limit && spec.limit > 0 ? spec.limit : 0;
  const project = projector(spec.filter, spec.projection);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    onClose?.();
  };
  return {
    async next(n) {
      if (!meta || closed) return { docs: [], done: true };
      if (!it) {
        const c = view.candidates(meta, spec.filter, spec.sort);
        const matches = filtered(c.iter, compileFilter(spec.filter));
        const hasSort = !!spec.sort && Object.keys(spec.sort).length > 0;
        if (hasSort && !c.sorted) {
          const all = sortDocs(await pullAll(matches), spec.sort, (r) => r.doc);
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
      return { docs: project(items.map((r) => r.doc)), done: done || (limit > 0 && returned >= limit) };
    },
    close,
  };
}
