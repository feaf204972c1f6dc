import { BSON, Document } from 'bson';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DESERIALIZE_OPTIONS } from '../wire/frames';
import type { AggregateJob, AggregateResult } from './aggregate-worker';

/** Same value as aggregate-worker's RETIRE (importing it would load the worker's module here). */
const RETIRE = 'retire';
/** A worker idle this long is retired: the heap a big pipeline grew is then given back to the OS. */
const IDLE_RETIRE_MS = 3000;

/**
 * One background thread for heavy pipelines: they then never stall other connections. The thread
 * is retired once idle, since V8 keeps a worker's grown heap (hundreds of MB after a pipeline over
 * a million documents) for the thread's whole life.
 */
export class AggregatePool {
  private worker?: Worker;
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  private readonly pending = new Map<number, { resolve: (d: Document[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly idleRetireMs = IDLE_RETIRE_MS) {}

  private ensure(): Worker {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.worker) return this.worker;
    const file = path.join(__dirname, 'aggregate-worker' + path.extname(__filename));
    const w = new Worker(file, { execArgv: file.endsWith('.ts') ? ['-r', '@swc-node/register'] : [] });
    w.unref();
    w.on('message', (m: AggregateResult) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.retireWhenIdle(w);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.docs.map((b) => BSON.deserialize(b, DESERIALIZE_OPTIONS)));
    });
    const fail = (e: Error): void => {
      // A retired worker exits with nothing pending; its exit must not touch its successor.
      if (this.worker !== w) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`aggregation worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private retireWhenIdle(w: Worker): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.worker !== w || this.pending.size > 0) return;
      this.worker = undefined;
      w.postMessage(RETIRE);
    }, this.idleRetireMs);
    this.idleTimer.unref();
  }

  run(pipeline: Document[], input: Uint8Array[], collections: Record<string, Uint8Array[]>, variables?: Document, collation?: Document): Promise<Document[]> {
    const id = this.nextId++;
    // One packed buffer, transferred rather than cloned: a million small buffers would be
    // structured-cloned one by one and held twice.
    const packed = Buffer.allocUnsafeSlow(input.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    for (const b of input) {
      packed.set(b, offset);
      offset += b.length;
    }
    input.length = 0;
    const job: AggregateJob = {
      id,
      pipeline: BSON.serialize({ p: pipeline }),
      input: packed.buffer as ArrayBuffer,
      collections,
      variables: variables ? BSON.serialize(variables) : undefined,
      collation: collation ? BSON.serialize(collation) : undefined,
    };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ensure().postMessage(job, [packed.buffer as ArrayBuffer]);
    });
  }

  /** Runs a pipeline over a collection the worker scans itself. */
  runScan(pipeline: Document[], scan: { dbPath: string; meta: Document; filter: Document; sort?: Document }, collections: Record<string, Uint8Array[]>, variables?: Document, collation?: Document): Promise<Document[]> {
    const id = this.nextId++;
    const job: AggregateJob = {
      id,
      pipeline: BSON.serialize({ p: pipeline }),
      scan: { dbPath: scan.dbPath, spec: BSON.serialize({ meta: scan.meta, filter: scan.filter, sort: scan.sort }) },
      collections,
      variables: variables ? BSON.serialize(variables) : undefined,
      collation: collation ? BSON.serialize(collation) : undefined,
    };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ensure().postMessage(job);
    });
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error('aggregation worker closed'));
    this.pending.clear();
    if (w) await w.terminate();
  }
}
