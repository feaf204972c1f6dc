// The ceiling: the same documents stored straight into lmdb from this process (BSON value plus a
// unique-key entry, same library defaults and durability wait as the server), no protocol, no
// query engine. Whatever mongoose achieves is reported as a fraction of this.
import { open, RootDatabase, Database } from 'lmdb';
import { BSON, Document } from 'bson';
import { closedLoop, LatencyRun, openLoop, timed } from './load';

export interface RawFigures {
  putPerSec: number;
  getPerSec: number;
  durableUpdatePerSec: number;
  /** One durable update per operation at the latency phases' offered rate: the floor under findOneAndUpdate's latency. */
  durableUpdateAtRate?: LatencyRun;
}

export async function rawLmdbCeiling(opts: {
  path: string;
  docs: number;
  makeDoc: (i: number) => Document;
  keyOf: (i: number) => string;
  batch: number;
  readMs: number;
  updateMs: number;
  updateWorkers: number;
  /** Also offer durable updates at this rate and concurrency (open loop, as the mongoose latency rows). */
  latency?: { ratePerSec: number; clients: number; durationMs: number };
}): Promise<RawFigures> {
  const env: RootDatabase = open({ path: opts.path, maxDbs: 4 });
  const docs: Database<Buffer, number> = env.openDB({ name: 'docs', encoding: 'binary' });
  const byKey: Database<number, string> = env.openDB({ name: 'key', encoding: 'ordered-binary' });
  try {
    const load = await timed(async () => {
      for (let start = 0; start < opts.docs; start += opts.batch) {
        const end = Math.min(opts.docs, start + opts.batch);
        await env.transaction(() => {
          for (let i = start; i < end; i++) {
            docs.put(i, Buffer.from(BSON.serialize(opts.makeDoc(i))));
            byKey.put(opts.keyOf(i), i);
          }
        });
        await env.flushed;
      }
    });
    const pick = () => Math.floor(Math.random() * opts.docs);
    const reads = await closedLoop(1, opts.readMs, async () => {
      const id = byKey.get(opts.keyOf(pick()))!;
      BSON.deserialize(docs.getBinary(id)!);
    });
    const update = async () => {
      const id = byKey.get(opts.keyOf(pick()))!;
      const doc = BSON.deserialize(docs.getBinary(id)!);
      doc.n = (doc.n ?? 0) + 1;
      await docs.put(id, Buffer.from(BSON.serialize(doc)));
      await env.flushed;
    };
    const updates = await closedLoop(opts.updateWorkers, opts.updateMs, update);
    const l = opts.latency;
    const durableUpdateAtRate = l ? (await openLoop(l.ratePerSec, 1000, l.clients, update), await openLoop(l.ratePerSec, l.durationMs, l.clients, update)) : undefined;
    return { putPerSec: (opts.docs * 1000) / load.ms, getPerSec: reads.perSec, durableUpdatePerSec: updates.perSec, durableUpdateAtRate };
  } finally {
    await env.close();
  }
}
