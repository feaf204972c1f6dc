import { Document, ObjectId } from 'bson';
import { Aggregator } from 'mingo';
import { CommandContext } from '../engine';
import { CommandError, ErrorCodes } from '../errors';
import { WriteTarget } from '../ops/target';
import { arraySource, pullAll } from '../query/cursor';
import { matchable } from '../query/numbers';
import { DocRef, View, compileFilter } from '../query/view';
import { decodeDoc, encodeDoc, withIdFirst } from '../storage/store';
import { CollMeta } from '../storage/catalog';
import { sortDocs } from '../query/sort';
import { plan } from '../query/planner';

function loadAll(view: View, namespace: string): DocRef[] {
  const meta = view.coll(namespace);
  if (!meta) return [];
  return [...view.candidates(meta, {}).iter];
}

/** Collections a pipeline reads besides its input ($lookup, $graphLookup, $unionWith, nested pipelines). */
export function referencedCollections(pipeline: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(pipeline)) {
    for (const st of pipeline) referencedCollections(st, out);
    return out;
  }
  if (pipeline === null || typeof pipeline !== 'object') return out;
  for (const [k, v] of Object.entries(pipeline as Document)) {
    if ((k === '$lookup' || k === '$graphLookup') && v && typeof v.from === 'string') out.add(v.from);
    if (k === '$unionWith') out.add(typeof v === 'string' ? v : String(v?.coll));
    if (k === '$facet' || k === 'pipeline' || k === '$lookup' || k === '$unionWith') referencedCollections(v, out);
    if (k === '$facet' && v && typeof v === 'object') for (const sub of Object.values(v)) referencedCollections(sub, out);
  }
  return out;
}

/** Above this many documents a pipeline runs on the worker thread instead of the event loop. */
const WORKER_THRESHOLD = 300;
/** Above this many documents in the collection the worker also does the scan. */
const WORKER_SCAN_THRESHOLD = 20_000;

function isSortedBy(p: ReturnType<typeof plan>): boolean {
  return p.kind !== 'ids' && p.sorted;
}

/** mingo names unknown stages/operators in its message; mongod answers those with 40324 / 168. */
function translateMingoError(e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  const stage = /unregistered pipeline operator (\$\w+)/.exec(msg);
  if (stage) throw new CommandError(40324, `Unrecognized pipeline stage name: '${stage[1]}'`);
  const op = /(?:unknown|unregistered|invalid) \w* ?operator:? '?(\$\w+)/i.exec(msg);
  if (op) throw new CommandError(ErrorCodes.InvalidPipelineOperator, `Unrecognized expression '${op[1]}'`);
  if (e instanceof CommandError) throw e;
  throw new CommandError(ErrorCodes.BadValue, msg);
}

interface SplitPipeline {
  filter: Document;
  sort?: Document;
  rest: Document[];
  out?: Document;
}

/** Leading $match stages become the scan filter (so indexes apply); a trailing $out/$merge is ours to execute. */
function split(pipeline: Document[]): SplitPipeline {
  const rest = [...pipeline];
  const matches: Document[] = [];
  while (rest.length && rest[0].$match && !JSON.stringify(rest[0].$match).includes('"$expr"')) matches.push(rest.shift()!.$match);
  const sort = rest.length && rest[0].$sort ? (rest[0].$sort as Document) : undefined;
  let out: Document | undefined;
  const last = rest[rest.length - 1];
  if (last && (last.$out !== undefined || last.$merge !== undefined)) out = rest.pop();
  const filter = matches.length === 0 ? {} : matches.length === 1 ? matches[0] : { $and: matches };
  return { filter, sort, rest: rest.flatMap(rewriteStage), out };
}

/** $count is defined by mongod as $group + $project, which (unlike mingo's) yields nothing on empty input. */
function rewriteStage(stage: Document): Document[] {
  if (typeof stage.$count === 'string') return [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }];
  return [stage];
}

/** mingo hands the locale to Intl, which wants BCP 47 ("en-US", not ICU's "en_US"). */
function mingoCollation(c: unknown): Document | undefined {
  if (!c || typeof c !== 'object' || typeof (c as Document).locale !== 'string' || (c as Document).locale === 'simple') return undefined;
  return { ...(c as Document), locale: String((c as Document).locale).replace(/_/g, '-') };
}

export function hintOrder(meta: CollMeta, hint: unknown): Document | undefined {
  if (typeof hint === 'string') return meta.indexes.find((i) => i.spec.name === hint)?.spec.key;
  if (hint && typeof hint === 'object' && Object.keys(hint).length) return hint as Document;
  return undefined;
}

export async function runAggregate(ctx: CommandContext): Promise<Document> {
  const pipeline = ctx.cmd.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError(ErrorCodes.TypeMismatch, "'pipeline' option must be specified as an array");
  const target = ctx.cmd.aggregate;
  const view = ctx.engine.view(ctx);
  const p = split(pipeline as Document[]);
  // Stored BSON bytes (or literal $documents): decoded only where the pipeline runs.
  let input: Array<Buffer | Document>;
  let namespace: string;
  let collation = mingoCollation(ctx.cmd.collation);
  if (typeof target === 'string') {
    namespace = `${ctx.db}.${target}`;
    const meta = view.coll(namespace);
    collation ??= mingoCollation(meta?.options.collation);
    if (!meta) input = [];
    else if (!ctx.txn && p.rest.length > 0 && !(hintOrder(meta, ctx.cmd.hint) && !p.sort) && ctx.engine.store.countDocs(meta.id) > WORKER_SCAN_THRESHOLD) {
      // Large collection: the worker scans lmdb itself, so nothing is collected here.
      const sorted = p.sort ? isSortedBy(plan(meta, p.filter, p.sort)) : false;
      if (p.sort && sorted && !collation) p.rest.shift();
      const others = new Map([...referencedCollections(p.rest)].map((name) => [name, loadAll(view, `${ctx.db}.${name}`)]));
      const collections: Record<string, Uint8Array[]> = {};
      for (const [name, refs] of others) collections[name] = refs.map((r) => r.bytes);
      let scanned: Document[];
      try {
        scanned = await ctx.engine.aggregatePool.runScan(p.rest, { dbPath: ctx.engine.store.dbPath, meta: meta as unknown as Document, filter: p.filter, sort: p.sort }, collections, ctx.cmd.let, collation);
      } catch (e) {
        translateMingoError(e);
      }
      if (p.out) {
        await writeOut(ctx, p.out, scanned);
        scanned = [];
      }
      const size = (ctx.cmd.cursor as Document | undefined)?.batchSize;
      return ctx.engine.cursors.open(namespace, arraySource(scanned), size === undefined ? 101 : Number(size));
    } else {
      // A hinted index fixes the order documents enter the pipeline, as with mongod's index scan.
      const hinted = hintOrder(meta, ctx.cmd.hint);
      const order = p.sort ?? hinted;
      const c = view.candidates(meta, p.filter, order);
      const test = compileFilter(p.filter);
      const unfiltered = Object.keys(p.filter).length === 0;
      if (!p.sort && hinted && !c.sorted) {
        const refs = await pullAll((function* () {
          for (const r of c.iter) if (unfiltered || test(r.doc)) yield r;
        })());
        input = sortDocs(refs, hinted, (r) => r.doc).map((r) => r.bytes);
      } else {
        input = await pullAll((function* () {
          for (const r of c.iter) if (unfiltered || test(r.doc)) yield r.bytes;
        })());
      }
      if (p.sort && c.sorted && !collation) p.rest.shift();
    }
  } else {
    namespace = `${ctx.db}.$cmd.aggregate`;
    const first = p.rest[0];
    if (!first || !Array.isArray(first.$documents)) {
      throw new CommandError(ErrorCodes.InvalidNamespace, `{aggregate: 1} is not valid for '${Object.keys(first ?? {})[0] ?? ''}'; a collection is required.`);
    }
    input = first.$documents as Document[];
    p.rest.shift();
  }
  let results: Document[];
  const others = new Map([...referencedCollections(p.rest)].map((name) => [name, loadAll(view, `${ctx.db}.${name}`)]));
  const work = input.length + [...others.values()].reduce((n, l) => n + l.length, 0);
  const isBytes = (d: Buffer | Document): d is Buffer => Buffer.isBuffer(d);
  try {
    if (work > WORKER_THRESHOLD && p.rest.length > 0) {
      const collections: Record<string, Uint8Array[]> = {};
      for (const [name, refs] of others) collections[name] = refs.map((r) => r.bytes);
      const bytes = input.map((d) => (isBytes(d) ? d : encodeDoc(d)));
      results = await ctx.engine.aggregatePool.run(p.rest, bytes, collections, ctx.cmd.let, collation);
    } else {
      const docs = input.map((d) => matchable(isBytes(d) ? decodeDoc(d) : d));
      results = new Aggregator(p.rest, {
        collectionResolver: (name: string) => (others.get(name) ?? []).map((r) => matchable(r.doc)),
        variables: ctx.cmd.let,
        collation: collation as never,
      }).run(docs) as Document[];
    }
  } catch (e) {
    translateMingoError(e);
  }
  if (p.out) {
    if (ctx.txn) throw new CommandError(ErrorCodes.OperationNotSupportedInTransaction, '$out and $merge cannot be used in a transaction');
    await writeOut(ctx, p.out, results);
    results = [];
  }
  const batchSize = (ctx.cmd.cursor as Document | undefined)?.batchSize;
  return ctx.engine.cursors.open(namespace, arraySource(results), batchSize === undefined ? 101 : Number(batchSize));
}

async function writeOut(ctx: CommandContext, stage: Document, results: Document[]): Promise<void> {
  if (stage.$out !== undefined) {
    const spec = stage.$out;
    const db = typeof spec === 'string' ? ctx.db : String(spec.db ?? ctx.db);
    const coll = typeof spec === 'string' ? spec : String(spec.coll);
    await ctx.engine.store.write((w) => {
      const existing = w.getColl(`${db}.${coll}`);
      const indexes = existing?.indexes.filter((i) => i.spec.name !== '_id_').map((i) => i.spec) ?? [];
      if (existing) w.dropColl(existing);
      let meta = w.createColl(db, coll);
      for (const spec of indexes) meta = w.createIndex(meta, spec);
      for (const d of results) w.insert(meta, withIdFirst(d._id === undefined ? { _id: new ObjectId(), ...d } : d));
    }, true);
    return;
  }
  const m = stage.$merge as Document | string;
  const spec: Document = typeof m === 'string' ? { into: m } : m;
  const into = spec.into;
  const db = typeof into === 'string' ? ctx.db : String(into.db ?? ctx.db);
  const coll = typeof into === 'string' ? into : String(into.coll);
  const on: string[] = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  await ctx.engine.write(ctx, (t: WriteTarget) => {
    const meta = t.collForWrite(db, coll);
    for (const raw of results) {
      const d = withIdFirst(raw._id === undefined ? { _id: new ObjectId(), ...raw } : raw);
      const filter: Document = {};
      for (const f of on) filter[f] = d[f] ?? null;
      const [existing] = [...(function* () {
        const test = compileFilter(filter);
        for (const r of t.view.candidates(meta, filter).iter) if (test(r.doc)) yield r;
      })()];
      if (!existing) {
        if (whenNotMatched === 'insert') t.insert(meta, d);
        else if (whenNotMatched === 'fail') throw new CommandError(13113, '$merge could not find a matching document in the target collection');
        continue;
      }
      if (whenMatched === 'keepExisting') continue;
      if (whenMatched === 'fail') throw new CommandError(ErrorCodes.DuplicateKey, '$merge with whenMatched: fail found an existing document');
      if (whenMatched === 'replace') t.replace(meta, existing, { ...d, _id: existing.doc._id });
      else if (whenMatched === 'merge') t.replace(meta, existing, { ...existing.doc, ...d, _id: existing.doc._id });
      else if (Array.isArray(whenMatched)) {
        const [next] = new Aggregator(whenMatched as Document[], { variables: { new: d, ...(spec.let ?? {}) } }).run([existing.doc]) as Document[];
        t.replace(meta, existing, withIdFirst({ ...next, _id: existing.doc._id }));
      }
    }
    return { reply: { ok: 1 } };
  });
}
