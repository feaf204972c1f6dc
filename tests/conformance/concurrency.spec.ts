// Concurrent writers and retried writes: the study-heartbeat path is many clients upserting the
// same key at once, and every single-document write in replica-set mode is a retryable write.
import mongoose, { Connection, Schema } from 'mongoose';
import { ClientSession, Db, Long, MongoClient } from 'mongodb';
import { openSuite, Suite } from './harness';

let s: Suite;
const extra: Connection[] = [];
beforeAll(async () => {
  s = await openSuite('concurrency');
});
afterAll(async () => {
  await Promise.all(extra.map((c) => c.close()));
  await s?.close();
});

describe('upserts racing on a unique key', () => {
  // Since 4.2 mongod retries an upsert that loses a duplicate-key race when its query is an
  // equality match on the unique index's fields, so no client sees E11000 here
  // (jira.mongodb.org/browse/SERVER-14322 for update, SERVER-47212 for findAndModify;
  // mongodb.com/docs/manual/reference/method/db.collection.update/#upsert-with-duplicate-values).
  const schema = new Schema({ key: { type: String, unique: true }, n: Number });

  it('100 concurrent findOneAndUpdate upserts from 5 connections: one document, every $inc applied', async () => {
    const clients = 5;
    const perClient = 20;
    for (let i = 0; i < clients; i++) {
      extra.push(await mongoose.createConnection(s.database.uri, { dbName: s.database.dbName, maxPoolSize: 20 }).asPromise());
    }
    const models = extra.map((conn) => conn.model('Counter', schema));
    await models[0].init();
    for (const round of ['r1', 'r2', 'r3']) {
      const calls = models.flatMap((Model) =>
        Array.from({ length: perClient }, () =>
          Model.findOneAndUpdate({ key: round }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' }).lean().exec(),
        ),
      );
      const settled = await Promise.allSettled(calls);
      const failures = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason?.message ?? r.reason));
      expect(failures).toEqual([]);
      const seen = settled.map((r) => (r as PromiseFulfilledResult<{ n: number } | null>).value?.n);
      // Each acknowledged $inc returned a distinct post-image: 1..100 exactly once each.
      expect([...seen].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: clients * perClient }, (_, i) => i + 1));
      const docs = await models[0].find({ key: round }).lean();
      expect(docs).toHaveLength(1);
      expect(docs[0].n).toBe(clients * perClient);
    }
  });

  it('concurrent updateOne upserts through the driver also converge on one document', async () => {
    const c = s.db.collection('driver_upserts');
    await c.createIndex({ key: 1 }, { unique: true });
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => c.updateOne({ key: 'k' }, { $inc: { n: 1 } }, { upsert: true })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const upserted = results.filter((r) => r.status === 'fulfilled' && r.value.upsertedCount === 1);
    expect(upserted).toHaveLength(1);
    expect(await c.find({ key: 'k' }).toArray()).toEqual([expect.objectContaining({ n: 60 })]);
  });
});

describe('retried writes are applied once', () => {
  // A retryable write is identified by lsid + txnNumber; the server must remember the outcome and
  // answer a retry without executing it again:
  // mongodb.com/docs/manual/core/retryable-writes/
  // The driver puts the explicit session's lsid on the command; the txnNumber is ours, so sending
  // the same command twice is exactly what a driver retry after a lost reply looks like.
  // The server session comes from the driver's pool and may already have carried retryable writes
  // numbered from 1, so ours start far above anything the driver used.
  const txn = (n: number) => Long.fromNumber(1_000_000 + n);
  // A client of its own: once ended, this session's server session would go back to the pool with
  // the server remembering txnNumber 1,000,005, and the driver's next retryable write on it (numbered
  // from its own counter) would be refused as too old.
  let retryClient: MongoClient;
  let session: ClientSession;
  let rdb: Db;
  beforeAll(async () => {
    retryClient = await MongoClient.connect(s.database.uri);
    rdb = retryClient.db(s.database.dbName);
    session = retryClient.startSession();
  });
  afterAll(async () => {
    await session.endSession();
    await retryClient.close();
  });

  it('an $inc update sent twice with the same txnNumber increments once', async () => {
    const c = s.db.collection('retried');
    await c.insertOne({ _id: 'ctr' as never, n: 0 });
    const cmd = () => ({ update: 'retried', updates: [{ q: { _id: 'ctr' }, u: { $inc: { n: 1 } } }], txnNumber: txn(1) });
    const first = await rdb.command(cmd(), { session });
    const retry = await rdb.command(cmd(), { session });
    expect([first.n, first.nModified]).toEqual([1, 1]);
    expect([retry.n, retry.nModified]).toEqual([1, 1]);
    expect((await c.findOne({ _id: 'ctr' as never }))!.n).toBe(1);
    // A new txnNumber is a new write.
    await rdb.command({ ...cmd(), txnNumber: txn(2) }, { session });
    expect((await c.findOne({ _id: 'ctr' as never }))!.n).toBe(2);
  });

  it('an insert sent twice reports success both times and stores one document', async () => {
    const cmd = () => ({ insert: 'retried', documents: [{ _id: 'once', v: 1 }], txnNumber: txn(3) });
    const first = await rdb.command(cmd(), { session });
    const retry = await rdb.command(cmd(), { session });
    expect(first.n).toBe(1);
    expect(retry.n).toBe(1);
    expect(retry.writeErrors).toBeUndefined();
    expect(await s.db.collection('retried').countDocuments({ _id: 'once' as never })).toBe(1);
  });

  it('a findAndModify retry returns the original result without incrementing again', async () => {
    const c = s.db.collection('retried');
    await c.insertOne({ _id: 'fam' as never, n: 10 });
    const cmd = () => ({ findAndModify: 'retried', query: { _id: 'fam' }, update: { $inc: { n: 5 } }, new: true, txnNumber: txn(4) });
    const first = await rdb.command(cmd(), { session });
    const retry = await rdb.command(cmd(), { session });
    expect(first.value).toEqual({ _id: 'fam', n: 15 });
    expect(retry.value).toEqual({ _id: 'fam', n: 15 });
    expect((await c.findOne({ _id: 'fam' as never }))!.n).toBe(15);
  });

  it('a multi-statement batch retried applies none of its statements twice', async () => {
    const c = s.db.collection('retried');
    await c.insertMany([{ _id: 'm1', n: 0 }, { _id: 'm2', n: 0 }] as never[]);
    const cmd = () => ({
      update: 'retried',
      updates: [
        { q: { _id: 'm1' }, u: { $inc: { n: 1 } } },
        { q: { _id: 'm2' }, u: { $inc: { n: 1 } } },
      ],
      txnNumber: txn(5),
    });
    await rdb.command(cmd(), { session });
    await rdb.command(cmd(), { session });
    expect((await c.find({ _id: { $in: ['m1', 'm2'] } } as never, { sort: { _id: 1 } }).toArray()).map((d) => d.n)).toEqual([1, 1]);
  });

  it('the driver\'s own retryable writes carry lsid + txnNumber and apply once', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const listen = (e: { commandName: string; command: Record<string, unknown> }) => e.commandName === 'update' && sent.push(e.command);
    s.client.on('commandStarted', listen);
    try {
      await s.db.collection('retried').updateOne({ _id: 'ctr' as never }, { $inc: { n: 1 } });
    } finally {
      s.client.off('commandStarted', listen);
    }
    expect(sent).toHaveLength(1);
    expect(sent[0].lsid).toBeDefined();
    expect(sent[0].txnNumber).toBeDefined();
    expect((await s.db.collection('retried').findOne({ _id: 'ctr' as never }))!.n).toBe(3);
  });
});

describe('a slow aggregation', () => {
  it('does not stall other clients (no single read waits a second while it runs)', async () => {
    const big = s.db.collection('slow_agg');
    const total = 1500;
    await big.insertMany(Array.from({ length: total }, (_, i) => ({ i, g: i % 37 })));
    // A correlated sub-pipeline with $expr cannot use an index: ~600,000 expression evaluations.
    const inputs = 400;
    const pipeline = [
      { $match: { i: { $lt: inputs } } },
      { $lookup: { from: 'slow_agg', let: { g: '$g' }, pipeline: [{ $match: { $expr: { $eq: ['$g', '$$g'] } } }], as: 'same' } },
      { $group: { _id: null, pairs: { $sum: { $size: '$same' } } } },
    ];
    const sizeOf = (g: number) => Math.floor(total / 37) + (g < total % 37 ? 1 : 0);
    const expected = Array.from({ length: inputs }, (_, i) => sizeOf(i % 37)).reduce((a, b) => a + b, 0);

    let running = true;
    const waits: number[] = [];
    const Probe = s.conn.collection('slow_agg');
    const probing = (async () => {
      while (running) {
        const t = Date.now();
        await Probe.findOne({ i: 7 });
        waits.push(Date.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const started = Date.now();
    const [row] = await big.aggregate(pipeline).toArray();
    const took = Date.now() - started;
    running = false;
    await probing;
    expect(row.pairs).toBe(expected);
    expect(waits.length).toBeGreaterThan(0);
    console.log(`slow aggregation: ${took} ms; ${waits.length} reads meanwhile, slowest ${Math.max(...waits)} ms`);
    expect(Math.max(...waits)).toBeLessThan(1000);
  });
});
