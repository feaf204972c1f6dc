// Driver-level CRUD, query and update operators, sort/skip/limit/projection, cursors and the
// error codes the driver and mongoose branch on. Every expectation is mongod's documented result.
import { Binary, Collection, Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { countCommands, isServerError, openSuite, rejection, Suite } from './harness';

let s: Suite;
beforeAll(async () => {
  s = await openSuite('crud');
});
afterAll(async () => {
  await s?.close();
});

// Test data mixes _id types on purpose; the driver's typed filters would fight every line.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Collection<any>;
const coll = (name: string): Loose => s.db.collection(name);

const ids = (docs: Array<{ _id: unknown }>) => docs.map((d) => d._id);

describe('insert and read back', () => {
  it('round-trips every BSON type the platform stores, keeping each type', async () => {
    const c = coll('types');
    const oid = new ObjectId();
    const when = new Date('2025-03-01T08:00:00.123Z');
    await c.insertOne({
      _id: 'all',
      str: '工伤预防',
      int: new Int32(7),
      dbl: new Double(7),
      long: Long.fromString('9007199254740993'),
      dec: Decimal128.fromString('12.50'),
      date: when,
      oid,
      bin: new Binary(Buffer.from([1, 2, 3])),
      bool: false,
      nul: null,
      arr: [1, 'two', { three: 3 }],
      nested: { a: { b: { c: 'deep' } } },
    });
    const doc = await coll('types').findOne({ _id: 'all' } as never, { promoteLongs: false });
    expect(doc).not.toBeNull();
    expect(doc!.str).toBe('工伤预防');
    expect(doc!.date).toEqual(when);
    expect(doc!.oid.equals(oid)).toBe(true);
    expect((doc!.long as Long).toString()).toBe('9007199254740993');
    expect((doc!.dec as Decimal128).toString()).toBe('12.50');
    expect(Buffer.from((doc!.bin as Binary).buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(doc!.arr).toEqual([1, 'two', { three: 3 }]);
    expect(doc!.nested).toEqual({ a: { b: { c: 'deep' } } });
    expect(doc!.nul).toBeNull();
    for (const [field, type] of [
      ['int', 'int'],
      ['dbl', 'double'],
      ['long', 'long'],
      ['dec', 'decimal'],
      ['date', 'date'],
      ['oid', 'objectId'],
      ['bin', 'binData'],
      ['bool', 'bool'],
      ['nul', 'null'],
      ['arr', 'array'],
      ['nested', 'object'],
      ['str', 'string'],
    ]) {
      expect([field, await c.countDocuments({ [field]: { $type: type } })]).toEqual([field, 1]);
    }
  });

  it('keeps int32, int64 and double distinct, also through an unrelated update', async () => {
    // mongod stores each value with its BSON type and never converts it on its own; $type tells them apart
    // (mongodb.com/docs/manual/reference/operator/query/type/). Data moved to a replica set later must not
    // have silently changed type.
    const c = coll('numtypes');
    await c.insertOne({ _id: 'n', i: new Int32(7), d: new Double(7), l: Long.fromNumber(7) });
    await c.updateOne({ _id: 'n' }, { $set: { unrelated: true } });
    const raw = await c.findOne({ _id: 'n' }, { promoteValues: false });
    expect([raw!.i._bsontype, raw!.d._bsontype, raw!.l._bsontype]).toEqual(['Int32', 'Double', 'Long']);
    const matches = async (field: string) => {
      const out: string[] = [];
      for (const t of ['int', 'long', 'double']) if ((await c.countDocuments({ [field]: { $type: t } })) === 1) out.push(t);
      return out;
    };
    expect({ i: await matches('i'), d: await matches('d'), l: await matches('l') }).toEqual({ i: ['int'], d: ['double'], l: ['long'] });
  });

  it('generates an ObjectId _id when the command carries none, and keeps _id first', async () => {
    // Documented: "If the server receives a document that does not have the _id field first,
    // then the server will move the field to the beginning." (mongodb.com/docs/manual/core/document/)
    const r = await s.db.command({ insert: 'gen', documents: [{ a: 1 }, { b: 2, _id: 'second', a: 3 }] });
    expect(r.n).toBe(2);
    const first = await coll('gen').findOne({ a: 1 });
    expect(first!._id).toBeInstanceOf(ObjectId);
    const second = await coll('gen').findOne({ _id: 'second' } as never);
    expect(Object.keys(second!)).toEqual(['_id', 'b', 'a']);
  });

  it('rejects a second document with the same _id (E11000 on _id_)', async () => {
    const c = coll('dupid');
    await c.insertOne({ _id: 1 as never, v: 1 });
    const err = await rejection(() => c.insertOne({ _id: 1 as never, v: 2 }));
    expect(isServerError(err)).toBe(true);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.keyValue).toEqual({ _id: 1 });
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, v: 1 });
  });
});

describe('large documents and batches', () => {
  it('round-trips an 8 MB document', async () => {
    const c = coll('large');
    const blob = 'x'.repeat(8 * 1024 * 1024);
    await c.insertOne({ _id: 'big', blob });
    const back = await c.findOne({ _id: 'big' });
    expect(back!.blob.length).toBe(blob.length);
  });

  it('stores every document of an insertMany the driver must split by maxMessageSizeBytes', async () => {
    const c = coll('split');
    const docs = Array.from({ length: 60 }, (_, i) => ({ _id: i, blob: String(i % 10).repeat(1024 * 1024) }));
    const { result, sent } = await countCommands(s, 'insert', () => c.insertMany(docs));
    expect(result.insertedCount).toBe(60);
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(await c.countDocuments()).toBe(60);
    expect((await c.findOne({ _id: 59 }))!.blob.slice(0, 3)).toBe('999');
  });

  it('refuses a document over 16 MB and stores nothing', async () => {
    // The driver refuses it before sending; the fuzz spec checks the server's own refusal.
    await rejection(() => coll('large').insertOne({ blob: 'x'.repeat(17 * 1024 * 1024) }));
    expect(await coll('large').countDocuments()).toBe(1);
  });
});

describe('query operators', () => {
  let c: Loose;
  beforeAll(async () => {
    c = coll('people');
    await c.insertMany([
      { _id: 1, name: 'ann', age: 30, tags: ['a', 'b'], addr: { city: 'sh' }, scores: [80, 95], extra: null },
      { _id: 2, name: 'bob', age: 25, tags: ['b'], addr: { city: 'bj' }, scores: [60, 70] },
      { _id: 3, name: 'Cat', age: 35, tags: [], addr: { city: 'sh' }, scores: [91, 99] },
      { _id: 4, name: 'dan', age: 40, tags: ['a', 'c'], scores: [] },
      { _id: 5, name: 'eve', age: 22, tags: ['c'], addr: { city: 'gz' }, scores: [100], a: 5, b: 3 },
    ] as never[]);
  });
  const q = async (filter: object) => ids(await c.find(filter, { sort: { _id: 1 } }).toArray());

  it.each([
    [{ age: { $gt: 30 } }, [3, 4]],
    [{ age: { $gte: 30 } }, [1, 3, 4]],
    [{ age: { $lt: 25 } }, [5]],
    [{ age: { $lte: 25 } }, [2, 5]],
    [{ age: { $ne: 30 } }, [2, 3, 4, 5]],
    [{ age: { $in: [22, 40, 99] } }, [4, 5]],
    [{ age: { $nin: [22, 40] } }, [1, 2, 3]],
    [{ $and: [{ age: { $gt: 20 } }, { age: { $lt: 30 } }] }, [2, 5]],
    [{ $or: [{ name: 'ann' }, { age: 40 }] }, [1, 4]],
    [{ $nor: [{ name: 'ann' }, { age: { $gt: 24 } }] }, [5]],
    [{ age: { $not: { $gt: 25 } } }, [2, 5]],
    [{ addr: { $exists: false } }, [4]],
    [{ extra: null }, [1, 2, 3, 4, 5]],
    [{ extra: { $type: 'null' } }, [1]],
    [{ 'addr.city': 'sh' }, [1, 3]],
    [{ addr: { city: 'sh' } }, [1, 3]],
    [{ tags: 'a' }, [1, 4]],
    [{ tags: ['a', 'b'] }, [1]],
    [{ tags: { $all: ['a', 'c'] } }, [4]],
    [{ tags: { $size: 0 } }, [3]],
    [{ tags: { $size: 1 } }, [2, 5]],
    [{ scores: { $elemMatch: { $gt: 90, $lt: 100 } } }, [1, 3]],
    // Without $elemMatch each condition may be met by a different element.
    [{ scores: { $gt: 90, $lt: 85 } }, [1]],
    [{ 'scores.0': { $gte: 91 } }, [3, 5]],
    [{ name: { $regex: '^c', $options: 'i' } }, [3]],
    [{ name: /^[ab]/ }, [1, 2]],
    [{ name: { $in: [/^e/, 'bob'] } }, [2, 5]],
    [{ age: { $mod: [5, 0] } }, [1, 2, 3, 4]],
    [{ $expr: { $gt: ['$a', '$b'] } }, [5]],
  ])('%j matches %j', async (filter, expected) => {
    expect(await q(filter)).toEqual(expected);
  });

  it('names an unknown query operator in a BadValue (2) error', async () => {
    const err = await rejection(() => c.find({ age: { $foo: 1 } }).toArray());
    expect(err.code).toBe(2);
    expect(err.message).toContain('$foo');
  });
});

describe('numbers across BSON types and the cross-type sort order', () => {
  let c: Loose;
  beforeAll(async () => {
    c = coll('mixed');
    await c.insertMany([
      { _id: 1, v: 'b' },
      { _id: 2, v: Long.fromNumber(3) },
      { _id: 3, v: new Double(2.5) },
      { _id: 4 },
      { _id: 5, v: null },
      { _id: 6, v: new Int32(1) },
      { _id: 7, v: Decimal128.fromString('2') },
      { _id: 8, v: { x: 1 } },
      { _id: 9, v: true },
      { _id: 10, v: new Date(0) },
      { _id: 11, v: 'a' },
      { _id: 12, v: new ObjectId('64b000000000000000000000') },
      { _id: 13, v: new Double(2) },
    ] as never[]);
  });

  it('compares int, long, double and decimal as numbers', async () => {
    const q = async (filter: object) => ids(await c.find(filter, { sort: { _id: 1 } }).toArray());
    expect(await q({ v: 2 })).toEqual([7, 13]);
    expect(await q({ v: Decimal128.fromString('3') })).toEqual([2]);
    expect(await q({ v: Long.fromNumber(1) })).toEqual([6]);
    // Type bracketing: a numeric range never matches strings, dates or booleans.
    expect(await q({ v: { $gt: 1 } })).toEqual([2, 3, 7, 13]);
    expect(await q({ v: { $gte: 'a' } })).toEqual([1, 11]);
    expect(await q({ v: { $lt: new Date(1) } })).toEqual([10]);
    expect(await q({ v: { $in: [Decimal128.fromString('2.5'), 'b'] } })).toEqual([1, 3]);
  });

  it('sorts by mongod\'s BSON comparison order (null and missing first, numbers by value)', async () => {
    // mongodb.com/docs/manual/reference/bson-type-comparison-order/
    const asc = ids(await c.find({}, { sort: { v: 1, _id: 1 } }).toArray());
    expect(asc).toEqual([4, 5, 6, 7, 13, 3, 2, 11, 1, 8, 12, 9, 10]);
    const desc = ids(await c.find({}, { sort: { v: -1, _id: 1 } }).toArray());
    expect(desc).toEqual([10, 9, 12, 8, 1, 11, 2, 3, 7, 13, 6, 4, 5]);
  });

  it('$inc keeps integer types and widens only when needed', async () => {
    const n = coll('incs');
    await n.insertOne({ _id: 'x' as never, i: new Int32(1), l: Long.fromNumber(1), d: new Double(1.5) });
    await n.updateOne({ _id: 'x' as never }, { $inc: { i: 2, l: 2, d: 1 } });
    expect(await n.countDocuments({ i: 3, l: 3, d: 2.5 })).toBe(1);
    expect(await n.countDocuments({ i: { $type: 'int' }, l: { $type: 'long' }, d: { $type: 'double' } })).toBe(1);
  });
});

describe('sort, skip, limit and projection', () => {
  let c: Loose;
  beforeAll(async () => {
    c = coll('ranked');
    await c.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        _id: i,
        group: i % 3,
        rank: 30 - i,
        title: `t${i}`,
        meta: { a: i, b: -i },
        items: [i, i + 1, i + 2, i + 3],
        parts: [{ k: 'x', n: i }, { k: 'y', n: i * 2 }],
      })) as never[],
    );
  });

  it('sorts by several keys in both directions', async () => {
    const docs = await c.find({}, { sort: { group: -1, rank: 1 }, limit: 4, projection: { _id: 1 } }).toArray();
    expect(ids(docs)).toEqual([29, 26, 23, 20]);
  });

  it('skips and limits after sorting', async () => {
    const docs = await c.find({}, { sort: { rank: 1 }, skip: 5, limit: 3 }).toArray();
    expect(ids(docs)).toEqual([24, 23, 22]);
  });

  it('projects by inclusion, exclusion, dotted path, $slice and $elemMatch', async () => {
    expect(await c.findOne({ _id: 4 } as never, { projection: { title: 1 } })).toEqual({ _id: 4, title: 't4' });
    expect(await c.findOne({ _id: 4 } as never, { projection: { title: 1, _id: 0 } })).toEqual({ title: 't4' });
    expect(await c.findOne({ _id: 4 } as never, { projection: { 'meta.b': 1 } })).toEqual({ _id: 4, meta: { b: -4 } });
    const excluded = await c.findOne({ _id: 4 } as never, { projection: { items: 0, parts: 0, meta: 0 } });
    expect(excluded).toEqual({ _id: 4, group: 1, rank: 26, title: 't4' });
    expect(await c.findOne({ _id: 4 } as never, { projection: { items: { $slice: 2 }, title: 1 } })).toEqual({
      _id: 4,
      title: 't4',
      items: [4, 5],
    });
    expect(await c.findOne({ _id: 4 } as never, { projection: { parts: { $elemMatch: { k: 'y' } } } })).toEqual({
      _id: 4,
      parts: [{ k: 'y', n: 8 }],
    });
  });

  // mongod: uassert 31254 "Cannot do exclusion on field <f> in inclusion projection"
  // (mongodb.com/docs/manual/reference/method/db.collection.find/#projection — one style per projection).
  it('rejects a projection that mixes inclusion and exclusion (code 31254)', async () => {
    const err = await rejection(() => c.findOne({}, { projection: { title: 1, rank: 0 } }));
    expect(isServerError(err)).toBe(true);
    expect(err.code).toBe(31254);
  });
});

describe('update operators', () => {
  let c: Loose;
  beforeEach(async () => {
    c = coll('upd');
    await c.deleteMany({});
    await c.insertOne({
      _id: 1 as never,
      n: 5,
      name: 'a',
      gone: true,
      old: 'renamed',
      scores: [3, 9],
      tags: ['a'],
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 7 },
        { sku: 'c', qty: 9 },
      ],
      a: 2,
      b: 3,
    });
  });
  const get = async () => (await c.findOne({ _id: 1 as never }))!;

  it('applies field operators', async () => {
    await c.updateOne({ _id: 1 as never }, {
      $set: { name: 'b', 'deep.new.path': 1 },
      $unset: { gone: '' },
      $inc: { n: 2, counter: 1 },
      $rename: { old: 'fresh' },
    });
    await c.updateOne({ _id: 1 as never }, { $mul: { n: 3 }, $min: { a: 1 }, $max: { b: 10 } });
    const d = await get();
    expect(d).toMatchObject({ name: 'b', deep: { new: { path: 1 } }, n: 21, counter: 1, fresh: 'renamed', a: 1, b: 10 });
    expect(d).not.toHaveProperty('gone');
    expect(d).not.toHaveProperty('old');
  });

  it('applies array operators', async () => {
    await c.updateOne({ _id: 1 as never }, { $push: { scores: { $each: [5, 1], $sort: 1, $slice: -3 } } } as never);
    await c.updateOne({ _id: 1 as never }, { $addToSet: { tags: { $each: ['a', 'b', 'b'] } } });
    expect((await get()).scores).toEqual([3, 5, 9]);
    expect((await get()).tags).toEqual(['a', 'b']);
    await c.updateOne({ _id: 1 as never }, { $pull: { scores: { $gte: 5 } }, $pop: { tags: -1 } } as never);
    expect((await get()).scores).toEqual([3]);
    expect((await get()).tags).toEqual(['b']);
    await c.updateOne({ _id: 1 as never }, { $pullAll: { tags: ['b', 'z'] }, $push: { scores: 4 } } as never);
    expect((await get()).tags).toEqual([]);
    expect((await get()).scores).toEqual([3, 4]);
  });

  it('applies positional $, $[] and $[identifier] with arrayFilters', async () => {
    await c.updateOne({ _id: 1, 'items.sku': 'b' } as never, { $set: { 'items.$.qty': 70 } });
    await c.updateOne({ _id: 1 as never }, { $inc: { 'items.$[].qty': 1 } });
    await c.updateOne({ _id: 1 as never }, { $set: { 'items.$[it].big': true } }, { arrayFilters: [{ 'it.qty': { $gt: 9 } }] });
    expect((await get()).items).toEqual([
      { sku: 'a', qty: 2 },
      { sku: 'b', qty: 71, big: true },
      { sku: 'c', qty: 10, big: true },
    ]);
  });

  it('sets $currentDate to the server clock', async () => {
    const before = Date.now();
    await c.updateOne({ _id: 1 as never }, { $currentDate: { touched: true } });
    const touched = (await get()).touched as Date;
    expect(touched).toBeInstanceOf(Date);
    expect(Math.abs(touched.getTime() - before)).toBeLessThan(5000);
  });

  it('applies a pipeline update', async () => {
    await c.updateOne({ _id: 1 as never }, [{ $set: { total: { $add: ['$a', '$b'] } } }, { $unset: 'tags' }]);
    const d = await get();
    expect(d.total).toBe(5);
    expect(d).not.toHaveProperty('tags');
  });

  it('reports matched, modified and upserted counts like mongod (a no-op $set modifies nothing)', async () => {
    const same = await c.updateOne({ _id: 1 as never }, { $set: { name: 'a' } });
    expect([same.matchedCount, same.modifiedCount, same.upsertedCount]).toEqual([1, 0, 0]);
    const none = await c.updateOne({ _id: 99 as never }, { $set: { name: 'z' } });
    expect([none.matchedCount, none.modifiedCount, none.upsertedId]).toEqual([0, 0, null]);
    await c.insertMany([{ _id: 2, k: 1 }, { _id: 3, k: 1 }, { _id: 4, k: 2 }] as never[]);
    const many = await c.updateMany({ k: 1 }, { $set: { hit: true } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([2, 2]);
    expect(await c.countDocuments({ hit: true })).toBe(2);
  });

  it('upserts with the query\'s equality fields and $setOnInsert only on insert', async () => {
    const first = await c.updateOne(
      { key: 'u1', 'nested.g': 7 },
      { $inc: { n: 1 }, $setOnInsert: { createdBy: 'upsert' } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    const second = await c.updateOne({ key: 'u1', 'nested.g': 7 }, { $inc: { n: 1 }, $setOnInsert: { createdBy: 'other' } }, { upsert: true });
    expect([second.matchedCount, second.modifiedCount, second.upsertedCount]).toEqual([1, 1, 0]);
    const d = await c.findOne({ key: 'u1' });
    expect(d).toEqual({ _id: first.upsertedId, key: 'u1', nested: { g: 7 }, n: 2, createdBy: 'upsert' });
  });

  it('an upsert naming the new _id in $setOnInsert leaves an existing document alone (no _id check, nothing modified)', async () => {
    const id = new ObjectId();
    const first = await c.updateOne({ key: 'once' }, { $setOnInsert: { _id: id, by: 'first' } } as never, { upsert: true });
    expect([first.upsertedCount, String(first.upsertedId)]).toEqual([1, String(id)]);
    const again = await c.updateOne({ key: 'once' }, { $setOnInsert: { _id: new ObjectId(), by: 'second' } } as never, { upsert: true });
    expect([again.matchedCount, again.modifiedCount, again.upsertedCount]).toEqual([1, 0, 0]);
    expect(await c.findOne({ key: 'once' })).toEqual({ _id: id, key: 'once', by: 'first' });
  });

  it('replaces, deletes and counts what it touched', async () => {
    const r = await c.replaceOne({ _id: 1 as never }, { only: 'this' });
    expect(r.modifiedCount).toBe(1);
    expect(await get()).toEqual({ _id: 1, only: 'this' });
    await c.insertMany([{ _id: 2, k: 1 }, { _id: 3, k: 1 }] as never[]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({})).deletedCount).toBe(2);
    expect(await c.countDocuments()).toBe(0);
  });

  it('refuses to change _id (ImmutableField, 66) and names an unknown modifier (FailedToParse, 9)', async () => {
    const immutable = await rejection(() => c.updateOne({ _id: 1 as never }, { $set: { _id: 2 } }));
    expect(immutable.code).toBe(66);
    const unknown = await rejection(() => c.updateOne({ _id: 1 as never }, { $foo: { n: 1 } } as never));
    expect(unknown.code).toBe(9);
    expect(unknown.message).toContain('$foo');
    expect((await get()).n).toBe(5);
  });
});

describe('findOneAndUpdate / findOneAndReplace / findOneAndDelete', () => {
  let c: Loose;
  beforeAll(async () => {
    c = coll('fam');
    await c.insertMany([
      { _id: 1, q: 'job', pri: 2, state: 'new' },
      { _id: 2, q: 'job', pri: 9, state: 'new' },
      { _id: 3, q: 'job', pri: 5, state: 'new' },
    ] as never[]);
  });

  it('honours sort, returnDocument and projection', async () => {
    const before = await c.findOneAndUpdate({ q: 'job', state: 'new' }, { $set: { state: 'taken' } }, { sort: { pri: -1 } });
    expect(before).toEqual({ _id: 2, q: 'job', pri: 9, state: 'new' });
    const after = await c.findOneAndUpdate(
      { q: 'job', state: 'new' },
      { $set: { state: 'taken' } },
      { sort: { pri: -1 }, returnDocument: 'after', projection: { state: 1, _id: 0 } },
    );
    expect(after).toEqual({ state: 'taken' });
    expect(await c.countDocuments({ state: 'taken' })).toBe(2);
    expect((await c.findOne({ state: 'new' }))!._id).toBe(1);
  });

  it('reports lastErrorObject for an upsert and for an update', async () => {
    const up = await c.findOneAndUpdate({ q: 'once' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
    expect(up.ok).toBe(1);
    expect(up.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(up.lastErrorObject!.upserted).toEqual(up.value!._id);
    expect(up.value).toMatchObject({ q: 'once', n: 1 });
    const again = await c.findOneAndUpdate({ q: 'once' }, { $inc: { n: 1 } }, { upsert: true, includeResultMetadata: true });
    expect(again.lastErrorObject).toEqual({ n: 1, updatedExisting: true });
    expect(again.value).toMatchObject({ n: 1 });
    const miss = await c.findOneAndUpdate({ q: 'never' }, { $inc: { n: 1 } }, { includeResultMetadata: true });
    expect(miss.value).toBeNull();
    expect(miss.lastErrorObject).toEqual({ n: 0, updatedExisting: false });
  });

  it('replaces and deletes one document, returning it', async () => {
    const replaced = await c.findOneAndReplace({ _id: 3 as never }, { q: 'job', pri: 0, state: 'replaced' }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 3, q: 'job', pri: 0, state: 'replaced' });
    const deleted = await c.findOneAndDelete({ q: 'job' }, { sort: { pri: 1 } });
    expect(deleted!._id).toBe(3);
    expect(await c.findOne({ _id: 3 as never })).toBeNull();
  });
});

describe('counting and distinct', () => {
  let c: Loose;
  beforeAll(async () => {
    c = coll('counted');
    await c.insertMany(
      Array.from({ length: 50 }, (_, i) => ({ _id: i, even: i % 2 === 0, tags: [`t${i % 4}`, 'all'], city: i < 10 ? 'sh' : 'bj' })) as never[],
    );
  });

  it('countDocuments honours filter, skip and limit', async () => {
    expect(await c.countDocuments({ even: true })).toBe(25);
    expect(await c.countDocuments({ even: true }, { skip: 20 })).toBe(5);
    expect(await c.countDocuments({}, { limit: 7 })).toBe(7);
    expect(await c.countDocuments({ city: 'nowhere' })).toBe(0);
  });

  it('estimatedDocumentCount counts the collection (0 for a missing one)', async () => {
    expect(await c.estimatedDocumentCount()).toBe(50);
    expect(await coll('never_created').estimatedDocumentCount()).toBe(0);
  });

  it('distinct unwinds arrays and honours the filter', async () => {
    expect((await c.distinct('tags')).sort()).toEqual(['all', 't0', 't1', 't2', 't3']);
    expect((await c.distinct('city', { even: false })).sort()).toEqual(['bj', 'sh']);
    expect(await c.distinct('city', { _id: { $gte: 10 } })).toEqual(['bj']);
  });
});

describe('cursors', () => {
  const total = 2500;
  let c: Loose;
  beforeAll(async () => {
    c = coll('many');
    await c.insertMany(Array.from({ length: total }, (_, i) => ({ i, pad: 'x'.repeat(50) })));
  });

  it('streams 2,500 documents in order over several getMores', async () => {
    const { result: seen, sent } = await countCommands(s, 'getMore', async () => {
      const out: number[] = [];
      for await (const d of c.find({}, { sort: { i: 1 }, batchSize: 300 })) out.push(d.i);
      return out;
    });
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(sent).toBeGreaterThanOrEqual(8);
  });

  it('stops exactly at the limit across batches', async () => {
    const docs = await c.find({ i: { $gte: 100 } }, { sort: { i: -1 }, limit: 1234, batchSize: 500 }).toArray();
    expect(docs).toHaveLength(1234);
    expect(docs[0].i).toBe(total - 1);
    expect(docs[1233].i).toBe(total - 1234);
  });

  it('answers CursorNotFound (43) for a getMore after killCursors', async () => {
    const raw = { promoteLongs: false };
    const first = await s.db.command({ find: 'many', filter: {}, batchSize: 2 }, raw);
    const id = first.cursor.id as Long;
    expect(first.cursor.firstBatch).toHaveLength(2);
    expect(id).toBeInstanceOf(Long);
    expect(id.isZero()).toBe(false);
    const killed = await s.db.command({ killCursors: 'many', cursors: [id] }, raw);
    expect(killed.cursorsKilled.map((x: Long) => x.toString())).toEqual([id.toString()]);
    const err = await rejection(() => s.db.command({ getMore: id, collection: 'many' }, raw));
    expect(err.code).toBe(43);
  });

  it('returns cursor id 0 once the last batch is handed out', async () => {
    const r = await s.db.command({ find: 'many', filter: { i: { $lt: 3 } }, batchSize: 10 });
    expect(Long.fromValue(r.cursor.id).isZero()).toBe(true);
    expect(r.cursor.ns).toBe(`${s.database.dbName}.many`);
  });
});

describe('commands and admin', () => {
  it('answers an unknown command with CommandNotFound (59) naming it', async () => {
    const err = await rejection(() => s.db.command({ frobnicate: 1 }));
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect(err.message).toContain('frobnicate');
  });

  it('creates, lists, renames and drops collections', async () => {
    await s.db.createCollection('adm_a');
    await coll('adm_a').insertOne({ x: 1 });
    const names = (await s.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('adm_a');
    await s.db.renameCollection('adm_a', 'adm_b');
    expect(await coll('adm_b').countDocuments()).toBe(1);
    expect(await coll('adm_a').countDocuments()).toBe(0);
    expect(await coll('adm_b').drop()).toBe(true);
    const after = (await s.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(after).not.toContain('adm_b');
    expect(after).not.toContain('adm_a');
  });

  it('re-creating an existing collection keeps its data', async () => {
    // mongod answered NamespaceExists (48) until SERVER-60064 made an identical re-create succeed
    // (jira.mongodb.org/browse/SERVER-60064); mongoose's autoCreate tolerates both. Either way the data stays.
    await s.db.createCollection('adm_dup');
    await s.db.collection('adm_dup').insertOne({ keep: true });
    const again = await s.db.command({ create: 'adm_dup' }).catch((err) => err);
    expect(again.ok === 1 || again.code === 48).toBe(true);
    expect(await s.db.collection('adm_dup').countDocuments({ keep: true })).toBe(1);
  });

  it('drops a whole database', async () => {
    const other = s.client.db(`${s.database.dbName}_drop`);
    await other.collection('x').insertOne({ a: 1 });
    await other.dropDatabase();
    expect(await other.collection('x').countDocuments()).toBe(0);
    expect(await other.listCollections().toArray()).toEqual([]);
  });

  it('accepts majority write and read concerns', async () => {
    const c = s.db.collection('concerns');
    await c.insertOne({ a: 1 }, { writeConcern: { w: 'majority', j: true, wtimeoutMS: 5000 } });
    const docs = await c.find({}, { readConcern: { level: 'majority' } }).toArray();
    expect(docs).toHaveLength(1);
  });

  it('lists databases and answers dbStats', async () => {
    const dbs = await s.client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(s.database.dbName);
    const stats = await s.db.stats();
    expect(stats.ok).toBe(1);
    expect(stats.collections).toBeGreaterThan(0);
    expect(stats.objects).toBeGreaterThan(0);
  });

  it('advertises a replica-set primary with sessions', async () => {
    const hello = await s.client.db('admin').command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect((await s.client.db('admin').command({ ping: 1 })).ok).toBe(1);
    const info = await s.client.db('admin').command({ buildInfo: 1 });
    expect(info.version).toMatch(/^\d+\.\d+/);
  });
});
