import { BSON, Document } from 'bson';
import { Aggregator } from 'mingo';
import { parentPort } from 'worker_threads';
import { DESERIALIZE_OPTIONS } from '../wire/frames';
import { matchable } from './numbers';
import { CollMeta } from '../storage/catalog';
import { Store, decodeDoc } from '../storage/store';
import { StoreView, compileFilter } from './view';
import { groupInputFields, pickFields } from './input-fields';

/**
 * Runs mingo pipelines off the server's event loop. Input and lookup collections arrive as the
 * stored BSON bytes; results go back as BSON bytes, so nothing but buffers crosses the thread.
 */
export interface AggregateJob {
  id: number;
  /** Instead of `input`: scan the collection here, straight from lmdb (BSON {meta, filter, sort}). */
  scan?: { dbPath: string; spec: Uint8Array };
  pipeline: Uint8Array;
  /** Concatenated BSON documents (each starts with its int32 length). */
  input?: ArrayBuffer;
  collections: Record<string, Uint8Array[]>;
  variables?: Uint8Array;
  collation?: Uint8Array;
}

export type AggregateResult = { id: number; docs: Uint8Array[] } | { id: number; error: string };

const decode = (b: Uint8Array): Document => matchable(BSON.deserialize(b, DESERIALIZE_OPTIONS));

function* packedInput(buffer: ArrayBuffer): Generator<Document> {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  for (let off = 0; off < bytes.length; ) {
    const size = view.getInt32(off, true);
    yield decode(bytes.subarray(off, off + size));
    off += size;
  }
}

const stores = new Map<string, Store>();

/**
 * Big collections are read here, in the worker, from the same lmdb environment: the documents
 * never cross threads and are decoded one at a time as the pipeline pulls them.
 */
function* scanInput(scan: NonNullable<AggregateJob['scan']>): Generator<Document> {
  let store = stores.get(scan.dbPath);
  if (!store) stores.set(scan.dbPath, (store = new Store(scan.dbPath)));
  const { meta, filter, sort } = decodeDoc(scan.spec) as { meta: CollMeta; filter: Document; sort?: Document };
  const test = compileFilter(filter);
  const view = new StoreView(store);
  for (const r of view.candidates(meta, filter, sort).iter) if (test(r.doc)) yield matchable(r.doc);
}

export function runJob(job: AggregateJob): Uint8Array[] {
  const pipeline = BSON.deserialize(job.pipeline, DESERIALIZE_OPTIONS).p as Document[];
  const cache = new Map<string, Document[]>();
  const resolver = (name: string): Document[] => {
    let docs = cache.get(name);
    if (!docs) cache.set(name, (docs = (job.collections[name] ?? []).map(decode)));
    return docs;
  };
  const variables = job.variables ? BSON.deserialize(job.variables, DESERIALIZE_OPTIONS) : undefined;
  const collation = job.collation ? BSON.deserialize(job.collation, DESERIALIZE_OPTIONS) : undefined;
  // Decoded one at a time as the pipeline pulls them, so a $group over a million documents holds
  // only the group state, not every decoded document.
  const full = job.scan ? scanInput(job.scan) : packedInput(job.input!);
  const fields = groupInputFields(pipeline);
  const input = fields ? (function* () {
    for (const d of full) yield pickFields(d, fields);
  })() : full;
  const out = new Aggregator(pipeline, { collectionResolver: resolver, variables, collation: collation as never }).run(input) as Document[];
  return out.map((d) => BSON.serialize(d));
}

/** Asked by the pool when it retires this thread: lmdb environments are closed before the thread ends. */
export const RETIRE = 'retire';

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: AggregateJob | typeof RETIRE) => {
    if (job === RETIRE) {
      void Promise.all([...stores.values()].map((s) => s.close())).finally(() => process.exit(0));
      return;
    }
    try {
      const docs = runJob(job);
      port.postMessage({ id: job.id, docs } satisfies AggregateResult);
    } catch (e) {
      port.postMessage({ id: job.id, error: (e as Error).message } satisfies AggregateResult);
    }
  });
}
