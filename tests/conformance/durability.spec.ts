// Durability of the embedded server (always the embedded one: it needs a data directory and a
// process this test owns). Clean restart keeps data and indexes; kill -9 in the middle of a stream
// of writes loses no acknowledged write and exposes no partial transaction.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { spawnServer, start } from '@app/embedded-mongo';
import { rejection, sleep } from './harness';

const dirs: string[] = [];
const children: number[] = [];
const newDir = async (tag: string) => {
  const d = await mkdtemp(join(tmpdir(), `emb-dur-${tag}-`));
  dirs.push(d);
  return d;
};

beforeAll(() => console.log('durability: embedded server (restart and kill -9 need a server this test owns)'));
afterAll(async () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function withClient<T>(uri: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

it('a clean restart on the same dbPath keeps documents, indexes and committed transactions only', async () => {
  const dbPath = await newDir('restart');
  const first = await start({ dbPath, port: 0, host: '127.0.0.1' });
  await withClient(first.uri, async (client) => {
    const db = client.db('app');
    await db.collection('users').createIndex({ email: 1 }, { unique: true });
    await db.collection('users').insertMany(Array.from({ length: 500 }, (_, i) => ({ email: `u${i}@x.cn`, i })));
    await db.collection('users').updateOne({ i: 7 }, { $set: { touched: true } });
    await db.collection('users').deleteOne({ i: 8 });
    const session = client.startSession();
    await session.withTransaction(async () => {
      await db.collection('users').insertOne({ email: 'tx@x.cn' }, { session });
    });
    session.startTransaction();
    await db.collection('users').insertOne({ email: 'aborted@x.cn' }, { session });
    await session.abortTransaction();
    await session.endSession();
  });
  await first.close();

  const second = await start({ dbPath, port: 0, host: '127.0.0.1' });
  try {
    await withClient(second.uri, async (client) => {
      const users = client.db('app').collection('users');
      expect(await users.countDocuments()).toBe(500);
      expect(await users.findOne({ i: 7 })).toMatchObject({ touched: true });
      expect(await users.findOne({ i: 8 })).toBeNull();
      expect(await users.findOne({ email: 'tx@x.cn' })).not.toBeNull();
      expect(await users.findOne({ email: 'aborted@x.cn' })).toBeNull();
      expect((await users.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'email_1']);
      const dup = await rejection(() => users.insertOne({ email: 'u1@x.cn' }));
      expect(dup.code).toBe(11000);
    });
  } finally {
    await second.close();
  }
});

interface StreamTally {
  ackedIds: Set<string>;
  ackedIncs: number;
  attemptedIncs: number;
  ackedGroups: Set<string>;
  errors: number;
}

const newTally = (): StreamTally => ({ ackedIds: new Set(), ackedIncs: 0, attemptedIncs: 0, ackedGroups: new Set(), errors: 0 });

/**
 * Writes as fast as it can until `stop()` resolves: single inserts from several writers, $inc on
 * one counter, and transactions that insert three parts of a group plus bump a group counter.
 */
async function writeStream(uri: string, tag: string, stop: Promise<void>, tally: StreamTally = newTally()): Promise<StreamTally> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const client = await MongoClient.connect(uri, { maxPoolSize: 20, serverSelectionTimeoutMS: 1500, socketTimeoutMS: 3000 });
  const db = client.db('app');
  const loop = async (body: (i: number) => Promise<void>) => {
    for (let i = 0; !stopped; i++) {
      try {
        await body(i);
      } catch {
        tally.errors++;
        if (stopped) return;
        await sleep(20);
      }
    }
  };
  const inserters = Array.from({ length: 6 }, (_, w) =>
    loop(async (i) => {
      const id = `${tag}-w${w}-${i}`;
      await db.collection('stream').insertOne({ _id: id as never, w, i, pad: 'p'.repeat(100) });
      tally.ackedIds.add(id);
    }),
  );
  const incers = Array.from({ length: 3 }, () =>
    loop(async () => {
      tally.attemptedIncs++;
      await db.collection('counters').updateOne({ _id: 'stream' as never }, { $inc: { n: 1 } }, { upsert: true });
      tally.ackedIncs++;
    }),
  );
  const txers = Array.from({ length: 2 }, (_, w) =>
    loop(async (i) => {
      const group = `${tag}-t${w}-${i}`;
      const session = client.startSession();
      try {
        session.startTransaction();
        for (let part = 0; part < 3; part++) {
          await db.collection('parts').insertOne({ group, part }, { session });
        }
        await db.collection('counters').updateOne({ _id: 'parts' as never }, { $inc: { n: 3 } }, { session, upsert: true });
        await session.commitTransaction();
        tally.ackedGroups.add(group);
      } finally {
        await session.endSession().catch(() => undefined);
      }
    }),
  );
  await Promise.all([...inserters, ...incers, ...txers]);
  await client.close(true).catch(() => undefined);
  return tally;
}

it(
  'kill -9 mid-stream, twice: every acknowledged write survives and no transaction is partial',
  async () => {
    const dbPath = await newDir('kill');
    let acked = new Set<string>();
    let ackedIncs = 0;
    let attemptedIncs = 0;
    let ackedGroups = new Set<string>();
    for (const round of ['r1', 'r2']) {
      const child = await spawnServer({ dbPath, port: 0, host: '127.0.0.1' });
      children.push(child.pid);
      let kill!: () => void;
      const killed = new Promise<void>((resolve) => (kill = resolve));
      const live = newTally();
      const streaming = writeStream(child.uri, round, killed, live);
      // Let the stream get going (by count, not time: a loaded CI machine acks fewer per second),
      // then pull the plug without warning while writes are in flight.
      const deadline = Date.now() + 30_000;
      while (live.ackedIds.size <= 150 && Date.now() < deadline) await sleep(50);
      process.kill(child.pid, 'SIGKILL');
      kill();
      const tally = await streaming;
      expect(tally.ackedIds.size).toBeGreaterThan(100);
      expect(tally.errors).toBeGreaterThan(0);
      acked = new Set([...acked, ...tally.ackedIds]);
      ackedIncs += tally.ackedIncs;
      attemptedIncs += tally.attemptedIncs;
      ackedGroups = new Set([...ackedGroups, ...tally.ackedGroups]);
      console.log(`${round}: ${tally.ackedIds.size} inserts, ${tally.ackedIncs} $inc, ${tally.ackedGroups.size} transactions acknowledged before SIGKILL`);
    }

    const after = await start({ dbPath, port: 0, host: '127.0.0.1' });
    try {
      await withClient(after.uri, async (client) => {
        const db = client.db('app');
        const stored = new Set((await db.collection('stream').find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
        const lost = [...acked].filter((id) => !stored.has(id));
        expect(lost).toEqual([]);

        const n = (await db.collection('counters').findOne({ _id: 'stream' as never }))!.n as number;
        expect(n).toBeGreaterThanOrEqual(ackedIncs);
        expect(n).toBeLessThanOrEqual(attemptedIncs);

        const groups = await db
          .collection('parts')
          .aggregate<{ _id: string; parts: number[] }>([{ $group: { _id: '$group', parts: { $push: '$part' } } }])
          .toArray();
        const partial = groups.filter((g) => [...g.parts].sort().join() !== '0,1,2');
        expect(partial).toEqual([]);
        const present = new Set(groups.map((g) => g._id));
        expect([...ackedGroups].filter((g) => !present.has(g))).toEqual([]);
        const partsCounter = ((await db.collection('counters').findOne({ _id: 'parts' as never }))?.n as number) ?? 0;
        expect(partsCounter).toBe(3 * groups.length);
      });
    } finally {
      await after.close();
    }
  },
  90_000,
);
