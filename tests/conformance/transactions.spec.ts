// Multi-document transactions through session.withTransaction (driver) and connection.transaction
// (mongoose): all-or-nothing, isolation from other clients, write conflicts that withTransaction
// retries, and the error codes the driver's retry logic keys on.
import { Schema } from 'mongoose';
import { ClientSession, Collection, MongoServerError } from 'mongodb';
import { openSuite, rejection, Suite } from './harness';

let s: Suite;
beforeAll(async () => {
  s = await openSuite('transactions');
  // Collections exist up front so the same assertions hold on servers that refuse to create
  // collections inside a transaction.
  await s.db.createCollection('accounts');
  await s.db.collection('accounts').createIndex({ name: 1 }, { unique: true });
  await s.db.createCollection('ledger');
  await s.db.createCollection('counters');
});
afterAll(async () => {
  await s?.close();
});

const accounts = (): Collection => s.db.collection('accounts');

async function withSession<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = s.client.startSession();
  try {
    return await fn(session);
  } finally {
    await session.endSession();
  }
}

describe('all or nothing', () => {
  it('a transaction whose second write fails leaves nothing behind', async () => {
    await accounts().insertOne({ name: 'existing', balance: 0 });
    const err = await withSession((session) =>
      rejection(() =>
        session.withTransaction(async () => {
          await s.db.collection('ledger').insertOne({ entry: 'first-write' }, { session });
          await accounts().updateOne({ name: 'existing' }, { $inc: { balance: 100 } }, { session });
          await accounts().insertOne({ name: 'existing' }, { session });
        }),
      ),
    );
    expect(err.code).toBe(11000);
    expect(await s.db.collection('ledger').countDocuments({ entry: 'first-write' })).toBe(0);
    expect((await accounts().findOne({ name: 'existing' }))!.balance).toBe(0);
  });

  it('abortTransaction discards inserts, updates and deletes', async () => {
    await accounts().insertMany([{ name: 'keep', balance: 5 }, { name: 'doomed', balance: 1 }]);
    await withSession(async (session) => {
      session.startTransaction();
      await accounts().insertOne({ name: 'phantom' }, { session });
      await accounts().updateOne({ name: 'keep' }, { $set: { balance: 999 } }, { session });
      await accounts().deleteOne({ name: 'doomed' }, { session });
      await session.abortTransaction();
    });
    expect(await accounts().findOne({ name: 'phantom' })).toBeNull();
    expect((await accounts().findOne({ name: 'keep' }))!.balance).toBe(5);
    expect(await accounts().findOne({ name: 'doomed' })).not.toBeNull();
  });

  it('commit applies writes across collections together', async () => {
    await withSession((session) =>
      session.withTransaction(async () => {
        await accounts().insertOne({ name: 'payee', balance: 30 }, { session });
        await s.db.collection('ledger').insertOne({ entry: 'pay', amount: 30 }, { session });
      }),
    );
    expect(await accounts().countDocuments({ name: 'payee' })).toBe(1);
    expect(await s.db.collection('ledger').countDocuments({ entry: 'pay' })).toBe(1);
  });
});

describe('isolation', () => {
  it('reads inside the transaction see its own writes; others see them only after commit', async () => {
    await withSession(async (session) => {
      session.startTransaction();
      await accounts().insertOne({ name: 'ryow', balance: 1 }, { session });
      await accounts().updateOne({ name: 'ryow' }, { $inc: { balance: 1 } }, { session });
      expect((await accounts().findOne({ name: 'ryow' }, { session }))!.balance).toBe(2);
      expect(await accounts().countDocuments({ name: 'ryow' }, { session })).toBe(1);
      const agg = await accounts().aggregate([{ $match: { name: 'ryow' } }], { session }).toArray();
      expect(agg).toHaveLength(1);
      expect(await accounts().findOne({ name: 'ryow' })).toBeNull();
      await session.commitTransaction();
    });
    expect((await accounts().findOne({ name: 'ryow' }))!.balance).toBe(2);
  });

  it('a snapshot transaction keeps reading its snapshot while others commit', async () => {
    await accounts().insertOne({ name: 'snap', balance: 0 });
    await withSession(async (session) => {
      session.startTransaction({ readConcern: { level: 'snapshot' } });
      expect((await accounts().findOne({ name: 'snap' }, { session }))!.balance).toBe(0);
      await accounts().updateOne({ name: 'snap' }, { $set: { balance: 50 } });
      expect((await accounts().findOne({ name: 'snap' }, { session }))!.balance).toBe(0);
      await session.commitTransaction();
    });
    expect((await accounts().findOne({ name: 'snap' }))!.balance).toBe(50);
  });
});

describe('write conflicts', () => {
  it('a second transaction writing the same document fails with WriteConflict (112), TransientTransactionError', async () => {
    await accounts().insertOne({ name: 'contended', balance: 0 });
    const a = s.client.startSession();
    const b = s.client.startSession();
    try {
      a.startTransaction();
      b.startTransaction();
      await accounts().updateOne({ name: 'contended' }, { $inc: { balance: 1 } }, { session: a });
      // mongod reports the conflict on B's write; a server that detects conflicts at commit
      // reports it on B's commit instead. Either way B must not commit and A's write stands.
      let conflict: MongoServerError | undefined;
      try {
        await accounts().updateOne({ name: 'contended' }, { $inc: { balance: 10 } }, { session: b });
      } catch (err) {
        conflict = err as MongoServerError;
      }
      await a.commitTransaction();
      if (!conflict) conflict = (await rejection(() => b.commitTransaction())) as MongoServerError;
      else await b.abortTransaction();
      expect(conflict.code).toBe(112);
      expect(conflict.hasErrorLabel('TransientTransactionError')).toBe(true);
    } finally {
      await a.endSession();
      await b.endSession();
    }
    expect((await accounts().findOne({ name: 'contended' }))!.balance).toBe(1);
  });

  it('two transactions inserting the same unique key in different documents: one commits, the other gets DuplicateKey', async () => {
    const a = s.client.startSession();
    const b = s.client.startSession();
    try {
      a.startTransaction();
      b.startTransaction();
      const errors: MongoServerError[] = [];
      const attempt = async (session: ClientSession, tag: string) => {
        try {
          await accounts().insertOne({ name: 'twin-key', tag }, { session });
          await session.commitTransaction();
        } catch (err) {
          errors.push(err as MongoServerError);
          if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        }
      };
      // Both inserts see no holder in their snapshot; the commits then race in one turn.
      await Promise.all([attempt(a, 'a'), attempt(b, 'b')]);
      expect(errors).toHaveLength(1);
      expect([11000, 112]).toContain(errors[0].code);
    } finally {
      await a.endSession();
      await b.endSession();
    }
    expect(await accounts().countDocuments({ name: 'twin-key' })).toBe(1);
  });

  it("unique keys among a transaction's own writes: a duplicate is refused, a key released earlier in it may be taken again", async () => {
    const dup = await withSession((session) =>
      rejection(() =>
        session.withTransaction(async () => {
          await accounts().insertMany(Array.from({ length: 300 }, (_, i) => ({ name: `bulk-${i}` })), { session });
          await accounts().insertOne({ name: 'bulk-17' }, { session });
        }),
      ),
    );
    expect(dup.code).toBe(11000);
    expect(await accounts().countDocuments({ name: /^bulk-/ })).toBe(0);
    await withSession((session) =>
      session.withTransaction(async () => {
        await accounts().insertOne({ name: 'renamed-from' }, { session });
        await accounts().updateOne({ name: 'renamed-from' }, { $set: { name: 'renamed-to' } }, { session });
        await accounts().insertOne({ name: 'renamed-from', second: true }, { session });
        await accounts().deleteOne({ name: 'renamed-to' }, { session });
        await accounts().insertOne({ name: 'renamed-to', third: true }, { session });
      }),
    );
    const names = (await accounts().find({ name: /^renamed-/ }).toArray()).map((d) => d.name).sort();
    expect(names).toEqual(['renamed-from', 'renamed-to']);
  });

  it('many small transactions committed at once all land, each whole', async () => {
    const parts = s.db.collection('ledger');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        withSession((session) =>
          session.withTransaction(async () => {
            await parts.insertOne({ batch: 'burst', i, part: 1 }, { session });
            await parts.insertOne({ batch: 'burst', i, part: 2 }, { session });
          }),
        ),
      ),
    );
    const docs = await parts.find({ batch: 'burst' }).toArray();
    expect(docs).toHaveLength(80);
    for (let i = 0; i < 40; i++) expect(docs.filter((d) => d.i === i).map((d) => d.part).sort()).toEqual([1, 2]);
  });

  it('concurrent read-modify-write transactions retried by withTransaction reach the exact total', async () => {
    const counters = s.db.collection('counters');
    await counters.insertOne({ _id: 'total' as never, n: 0 });
    const writers = 6;
    const rounds = 3;
    let attempts = 0;
    await Promise.all(
      Array.from({ length: writers }, () =>
        withSession(async (session) => {
          for (let r = 0; r < rounds; r++) {
            await session.withTransaction(async () => {
              attempts++;
              const doc = await counters.findOne({ _id: 'total' as never }, { session });
              await counters.updateOne({ _id: 'total' as never }, { $set: { n: doc!.n + 1 } }, { session });
            });
          }
        }),
      ),
    );
    expect((await counters.findOne({ _id: 'total' as never }))!.n).toBe(writers * rounds);
    // Lost updates are impossible only because conflicts were detected and retried.
    expect(attempts).toBeGreaterThan(writers * rounds);
  });

  it('committing an unknown transaction answers NoSuchTransaction (251)', async () => {
    await withSession(async (session) => {
      // The driver stamps the session's own txnNumber on transaction commands; bump it to one that
      // was never started (a pooled server session may have committed earlier numbers).
      session.incrementTransactionNumber();
      const err = await rejection(() => s.client.db('admin').command({ commitTransaction: 1, autocommit: false }, { session }));
      expect(err.code).toBe(251);
    });
  });
});

describe('through mongoose', () => {
  const Wallet = () =>
    s.conn.models.Wallet ?? s.conn.model('Wallet', new Schema({ owner: { type: String, unique: true }, coins: { type: Number, min: 0 } }));
  beforeAll(async () => {
    await Wallet().init();
    await Wallet().create([{ owner: 'alice', coins: 10 }, { owner: 'bob', coins: 0 }]);
  });

  it('connection.transaction commits a transfer', async () => {
    await s.conn.transaction(async (session) => {
      await Wallet().updateOne({ owner: 'alice' }, { $inc: { coins: -4 } }, { session });
      await Wallet().updateOne({ owner: 'bob' }, { $inc: { coins: 4 } }, { session });
    });
    const coins = (await Wallet().find().sort({ owner: 1 }).lean()).map((w) => w.coins);
    expect(coins).toEqual([6, 4]);
  });

  it('a failing step rolls the transfer back', async () => {
    const err = await rejection(() =>
      s.conn.transaction(async (session) => {
        await Wallet().updateOne({ owner: 'alice' }, { $inc: { coins: -1 } }, { session });
        await Wallet().create([{ owner: 'bob', coins: 1 }], { session });
      }),
    );
    expect(err.code).toBe(11000);
    const coins = (await Wallet().find().sort({ owner: 1 }).lean()).map((w) => w.coins);
    expect(coins).toEqual([6, 4]);
  });

  it('concurrent mongoose transactions on one wallet keep every increment', async () => {
    await Promise.all(
      Array.from({ length: 5 }, () =>
        s.conn.transaction(async (session) => {
          const w = await Wallet().findOne({ owner: 'bob' }).session(session);
          w!.coins = w!.coins! + 1;
          await w!.save({ session });
        }),
      ),
    );
    expect((await Wallet().findOne({ owner: 'bob' }).lean())!.coins).toBe(9);
  });
});
