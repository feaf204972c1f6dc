import { BSON, Document } from 'bson';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DESERIALIZE_OPTIONS } from '../wire/frames';
import type { AggregateJob, AggregateResult } from './aggregate-worker';

/** One background thread for heavy pipelines: they then never stall other connections. */
export class AggregatePool {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (d: Document[]) => void; reject: (e: Error) => void }>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const file = path.join(__dirname, 'aggregate-worker' + path.extname(__filename));
    const w = new Worker(file, { execArgv: file.endsWith('.ts') ? ['-r', '@swc-node/register'] : [] });
    w.unref();
    w.on('message', (m: AggregateResult) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.docs.map((b) => BSON.deserialize(b, DESERIALIZE_OPTIONS)));
    });
    const fail = (e: Error): void => {
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`aggregation worker exited with code ${code}`)));
    this.worker = w;
    return w;
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
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
