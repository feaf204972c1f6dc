// Indexes as the platform relies on them: unique and compound-unique violations shaped exactly
// like mongod's (mongoose surfaces them unchanged), bulk inserts reporting exactly the failing
// items, partial/sparse uniqueness, index admin, index use, and TTL expiry.
import { Schema } from 'mongoose';
import { Collection, Document } from 'mongodb';
import { isServerError, openSuite, rejection, Suite, waitFor } from './harness';

let s: Suite;
beforeAll(async () => {
  s = await openSuite('indexes');
});
afterAll(async () => {
  await s?.close();
});

const dupMessage = (coll: string, index: string, key: string) =>
  `E11000 duplicate key error collection: ${s.database.dbName}.${coll} index: ${index} dup key: ${key}`;

describe('unique violations through the driver', () => {
  let users: Collection;
  let members: Collection;
  beforeAll(async () => {
    users = s.db.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    members = s.db.collection('members');
    await members.createIndex({ org: 1, code: 1 }, { unique: true });
  });

  it('insertOne: code 11000 with keyPattern, keyValue and mongod\'s errmsg', async () => {
    await users.insertOne({ email: 'a@x.cn', n: 1 });
    const err = await rejection(() => users.insertOne({ email: 'a@x.cn', n: 2 }));
    expect(isServerError(err)).toBe(true);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.cn' });
    expect(err.errmsg).toBe(dupMessage('users', 'email_1', '{ email: "a@x.cn" }'));
    expect(await users.countDocuments({ email: 'a@x.cn' })).toBe(1);
  });

  it('compound unique: only the full key collides', async () => {
    await members.insertMany([
      { org: 'o1', code: 7 },
      { org: 'o2', code: 7 },
      { org: 'o1', code: 8 },
    ]);
    const err = await rejection(() => members.insertOne({ org: 'o1', code: 7, extra: true }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ org: 1, code: 1 });
    expect(err.keyValue).toEqual({ org: 'o1', code: 7 });
    expect(err.errmsg).toBe(dupMessage('members', 'org_1_code_1', '{ org: "o1", code: 7 }'));
  });

  it('an update that creates a duplicate fails and leaves the document unchanged', async () => {
    const { insertedId } = await users.insertOne({ email: 'b@x.cn' });
    const err = await rejection(() => users.updateOne({ _id: insertedId }, { $set: { email: 'a@x.cn' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a@x.cn' });
    expect((await users.findOne({ _id: insertedId }))!.email).toBe('b@x.cn');
  });

  it('findOneAndUpdate reports the duplicate as a top-level DuplicateKey error', async () => {
    const err = await rejection(() => users.findOneAndUpdate({ email: 'b@x.cn' }, { $set: { email: 'a@x.cn' } }));
    expect(isServerError(err)).toBe(true);
    expect(err.code).toBe(11000);
    expect(err.codeName).toBe('DuplicateKey');
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.cn' });
  });

  it('a missing field is indexed as null, so a second document without it collides', async () => {
    const c = s.db.collection('nullkeys');
    await c.createIndex({ phone: 1 }, { unique: true });
    await c.insertOne({ name: 'first' });
    const err = await rejection(() => c.insertOne({ name: 'second' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ phone: null });
  });

  it('a sparse unique index ignores documents without the field', async () => {
    const c = s.db.collection('sparse');
    await c.createIndex({ phone: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ name: 'a' }, { name: 'b' }, { phone: '1' }]);
    expect((await rejection(() => c.insertOne({ phone: '1' }))).code).toBe(11000);
  });

  it('unique + partialFilterExpression only constrains matching documents', async () => {
    const c = s.db.collection('partial');
    await c.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { code: 'A', active: true },
      { code: 'A', active: false },
      { code: 'A', active: false },
      { code: 'A' },
    ]);
    const err = await rejection(() => c.insertOne({ code: 'A', active: true }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ code: 'A' });
    const reactivate = await rejection(() => c.updateOne({ active: false }, { $set: { active: true } }));
    expect(reactivate.code).toBe(11000);
    expect(await c.countDocuments({ code: 'A', active: true })).toBe(1);
  });

  it('building a unique index over existing duplicates fails with 11000 and builds nothing', async () => {
    const c = s.db.collection('prebuilt');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await rejection(() => c.createIndex({ k: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    const names = (await c.listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });
});

describe('bulk inserts report exactly the failing items', () => {
  const batch = () => [{ email: 'n1' }, { email: 'n2' }, { email: 'taken' }, { email: 'n3' }, { email: 'n2' }, { email: 'n4' }];
  let c: Collection;
  beforeEach(async () => {
    c = s.db.collection('bulk');
    await c.drop().catch(() => undefined);
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'taken' });
  });

  it('ordered: stops at the first failure', async () => {
    const err = await rejection(() => c.insertMany(batch(), { ordered: true }));
    expect(err.name).toBe('MongoBulkWriteError');
    expect(err.writeErrors.map((e: Document) => [e.index, e.code])).toEqual([[2, 11000]]);
    expect(err.insertedCount).toBe(2);
    expect((await c.find({}, { sort: { email: 1 } }).toArray()).map((d) => d.email)).toEqual(['n1', 'n2', 'taken']);
  });

  it('unordered: every other item is inserted and each failure is listed', async () => {
    const err = await rejection(() => c.insertMany(batch(), { ordered: false }));
    expect(err.writeErrors.map((e: Document) => [e.index, e.code])).toEqual([
      [2, 11000],
      [4, 11000],
    ]);
    expect(err.insertedCount).toBe(4);
    expect((await c.find({}, { sort: { email: 1 } }).toArray()).map((d) => d.email)).toEqual(['n1', 'n2', 'n3', 'n4', 'taken']);
  });

  it('the raw insert reply carries keyPattern and keyValue on every write error', async () => {
    const r = await s.db.command({ insert: 'bulk', documents: batch(), ordered: false });
    expect(r.ok).toBe(1);
    expect(r.n).toBe(4);
    expect(r.writeErrors).toHaveLength(2);
    const [first, second] = r.writeErrors;
    expect(first).toMatchObject({ index: 2, code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'taken' } });
    expect(first.errmsg).toBe(dupMessage('bulk', 'email_1', '{ email: "taken" }'));
    expect(second).toMatchObject({ index: 4, code: 11000, keyValue: { email: 'n2' } });
  });

  it('bulkWrite mixes inserts, updates and deletes and lists the failing op', async () => {
    const err = await rejection(() =>
      c.bulkWrite(
        [
          { insertOne: { document: { email: 'w1' } } },
          { updateOne: { filter: { email: 'w1' }, update: { $set: { email: 'taken' } } } },
          { deleteOne: { filter: { email: 'taken' } } },
          { insertOne: { document: { email: 'w2' } } },
        ],
        { ordered: false },
      ),
    );
    expect(err.writeErrors.map((e: Document) => [e.index, e.code])).toEqual([[1, 11000]]);
    expect(err.insertedCount).toBe(2);
    expect(err.deletedCount).toBe(1);
    expect((await c.find({}, { sort: { email: 1 } }).toArray()).map((d) => d.email)).toEqual(['w1', 'w2']);
  });
});

describe('unique violations through mongoose', () => {
  const schema = new Schema({ email: { type: String, unique: true, required: true }, org: String, no: Number });
  schema.index({ org: 1, no: 1 }, { unique: true });

  it('creates the schema\'s indexes and lists them like mongod', async () => {
    const Account = s.conn.model('Account', schema);
    await Account.init();
    const indexes = await Account.listIndexes();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'email_1', 'org_1_no_1']);
    expect(indexes.find((i) => i.name === 'email_1')).toMatchObject({ key: { email: 1 }, unique: true });
    expect(indexes.find((i) => i.name === 'org_1_no_1')).toMatchObject({ key: { org: 1, no: 1 }, unique: true });
  });

  it('Model.create raises MongoServerError 11000 with keyPattern and keyValue', async () => {
    const Account = s.conn.model('Account');
    await Account.create({ email: 'm@x.cn', org: 'o', no: 1 });
    const err = await rejection(() => Account.create({ email: 'm@x.cn', org: 'o', no: 2 }));
    expect(isServerError(err)).toBe(true);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'm@x.cn' });
    const compound = await rejection(() => Account.create({ email: 'other@x.cn', org: 'o', no: 1 }));
    expect(compound.code).toBe(11000);
    expect(compound.keyValue).toEqual({ org: 'o', no: 1 });
  });

  it('insertMany unordered reports the failing indexes and inserts the rest', async () => {
    const Account = s.conn.model('Account');
    const err = await rejection(() =>
      Account.insertMany(
        [
          { email: 'i1@x.cn', org: 'p', no: 1 },
          { email: 'm@x.cn', org: 'p', no: 2 },
          { email: 'i3@x.cn', org: 'p', no: 1 },
          { email: 'i4@x.cn', org: 'p', no: 4 },
        ],
        { ordered: false },
      ),
    );
    expect(err.writeErrors.map((e: Document) => e.index)).toEqual([1, 2]);
    expect(err.insertedDocs.map((d: Document) => d.email)).toEqual(['i1@x.cn', 'i4@x.cn']);
    expect(await Account.countDocuments({ org: 'p' })).toBe(2);
  });

  it('findOneAndUpdate raises the duplicate as MongoServerError', async () => {
    const Account = s.conn.model('Account');
    await Account.create({ email: 'f@x.cn', org: 'f', no: 1 });
    const err = await rejection(() => Account.findOneAndUpdate({ email: 'f@x.cn' }, { email: 'm@x.cn' }).exec());
    expect(isServerError(err)).toBe(true);
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'm@x.cn' });
  });
});

describe('index administration', () => {
  it('creates idempotently, drops by name, and refuses to drop a missing index (IndexNotFound, 27)', async () => {
    const c = s.db.collection('adm');
    expect(await c.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
    expect(await c.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
    expect(await c.createIndex({ z: 1 }, { name: 'by_z' })).toBe('by_z');
    const listed = await c.listIndexes().toArray();
    expect(listed.map((i) => [i.name, i.key])).toEqual([
      ['_id_', { _id: 1 }],
      ['a_1_b_-1', { a: 1, b: -1 }],
      ['by_z', { z: 1 }],
    ]);
    await c.dropIndex('a_1_b_-1');
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'by_z']);
    const err = await rejection(() => c.dropIndex('nope_1'));
    expect(err.code).toBe(27);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('a dropped unique index no longer constrains writes', async () => {
    const c = s.db.collection('adm_unique');
    await c.createIndex({ k: 1 }, { unique: true });
    await c.insertOne({ k: 1 });
    await c.dropIndex('k_1');
    await c.insertOne({ k: 1 });
    expect(await c.countDocuments({ k: 1 })).toBe(2);
  });
});

describe('index use', () => {
  const total = 5000;
  let c: Collection;
  beforeAll(async () => {
    c = s.db.collection('big');
    await c.insertMany(Array.from({ length: total }, (_, i) => ({ k: i, org: `o${i % 50}`, at: i, plain: i })));
    await c.createIndex({ k: 1 }, { unique: true });
    await c.createIndex({ org: 1, at: 1 });
  });
  // mongod's explain shape: mongodb.com/docs/manual/reference/explain-results/
  const stats = async (filter: Document) => {
    const plan = await c.find(filter).explain('executionStats');
    return plan.executionStats as { nReturned: number; totalDocsExamined: number; totalKeysExamined: number };
  };

  it('an equality lookup on a unique index examines one document', async () => {
    const st = await stats({ k: 4321 });
    expect(st.nReturned).toBe(1);
    expect(st.totalDocsExamined).toBe(1);
  });

  it('a range on an indexed prefix examines only the matching documents', async () => {
    const st = await stats({ org: 'o7', at: { $gte: 1000, $lt: 2000 } });
    expect(st.nReturned).toBe(20);
    expect(st.totalDocsExamined).toBeLessThanOrEqual(20);
    const range = await stats({ k: { $gte: 100, $lt: 130 } });
    expect(range.nReturned).toBe(30);
    expect(range.totalDocsExamined).toBeLessThanOrEqual(30);
  });

  it('an unindexed field is a full scan (so the counters above mean something)', async () => {
    const st = await stats({ plain: 4321 });
    expect(st.nReturned).toBe(1);
    expect(st.totalDocsExamined).toBe(total);
  });
});

describe('TTL indexes', () => {
  // mongod's TTL monitor runs every 60 s (mongodb.com/docs/manual/core/index-ttl/#timing-of-the-delete-operation),
  // so against a real server the wait is up to ~70 s; the embedded server sweeps more often.
  const limitMs = process.env.MONGODB_URI ? 75_000 : 30_000;

  it(
    'expires documents whose date is past expireAfterSeconds, and only those',
    async () => {
      const c = s.db.collection('sessions');
      await c.createIndex({ seenAt: 1 }, { expireAfterSeconds: 1 });
      const now = Date.now();
      await c.insertMany([
        { _id: 'old', seenAt: new Date(now - 3_600_000) } as Document,
        { _id: 'oldInArray', seenAt: [new Date(now + 3_600_000), new Date(now - 3_600_000)] } as Document,
        { _id: 'future', seenAt: new Date(now + 3_600_000) } as Document,
        { _id: 'notADate', seenAt: 'yesterday' } as Document,
        { _id: 'missing' } as Document,
      ]);
      const waited = await waitFor('TTL expiry', limitMs, async () => (await c.countDocuments({ _id: { $in: ['old', 'oldInArray'] } as never })) === 0, 500);
      console.log(`TTL expired documents after ${waited} ms`);
      const left = (await c.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(left).toEqual(['future', 'missing', 'notADate']);
      const ttl = (await c.listIndexes().toArray()).find((i) => i.name === 'seenAt_1');
      expect(ttl!.expireAfterSeconds).toBe(1);
    },
    limitMs + 15_000,
  );
});
