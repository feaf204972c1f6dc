import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BSON, Document } from 'bson';
import { Engine } from '../engine';
import { createEngine } from '../server';
import { RawDocument } from '../wire/frames';
import { KEY_MAX, MAX_KEY_STRING } from './keys';
import { IndexLayout, Store } from './store';

/**
 * Unique indexes in both storage layouts behave the same at the command level: 'exact' (what
 * createIndexes builds now: one lmdb key per value, claimed with a no-overwrite put) and 'range'
 * (what earlier versions built, still found in existing data directories).
 */
describe.each<IndexLayout>(['exact', 'range'])('unique index, %s layout', (layout) => {
  let dir: string;
  let store: Store;
  let engine: Engine;
  let n = 0;
  let coll = '';

  const open = () => {
    store = new Store(dir);
    engine = createEngine(store, { host: '127.0.0.1', port: 1, setName: 'rs0', startedAt: new Date() });
  };
  const run = (cmd: Document) => engine.dispatch('test', cmd, 1);
  const uniqueIndex = async (name: string, key: Document, options: Document = {}) => {
    await store.write((w) => {
      const meta = w.ensureColl('test', coll);
      w.createIndex(meta, { v: 2, key, name, unique: true, ...options }, layout);
    }, true);
    expect(store.getColl(`test.${coll}`)!.indexes.find((i) => i.spec.name === name)!.layout).toBe(layout === 'exact' ? 'exact' : undefined);
  };
  const find = async (filter: Document, sort?: Document) => {
    const r = await run({ find: coll, filter, ...(sort ? { sort } : {}) });
    // Stored documents go out as their BSON bytes (RawDocument); plain objects as they are.
    return (r.cursor as { firstBatch: Array<Document | RawDocument> }).firstBatch.map((d) => (d instanceof RawDocument ? BSON.deserialize(d.bytes) : d));
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `em-unique-${layout}-`));
    open();
  });
  beforeEach(() => {
    coll = `c${++n}`;
  });
  afterAll(async () => {
    engine.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a taken value with mongod’s duplicate-key error, also within one unordered batch', async () => {
    await uniqueIndex('k_1', { k: 1 });
    expect(await run({ insert: coll, documents: [{ _id: 1, k: 'a' }] })).toMatchObject({ ok: 1, n: 1 });
    const r = await run({ insert: coll, documents: [{ _id: 2, k: 'a' }, { _id: 3, k: 'b' }, { _id: 4, k: 'b' }], ordered: false });
    expect(r).toMatchObject({ ok: 1, n: 1 });
    const errs = r.writeErrors as Document[];
    expect(errs.map((e) => [e.index, e.code, e.keyValue])).toEqual([
      [0, 11000, { k: 'a' }],
      [2, 11000, { k: 'b' }],
    ]);
    expect(errs[0].errmsg).toBe(`E11000 duplicate key error collection: test.${coll} index: k_1 dup key: { k: "a" }`);
    expect((await find({}, { _id: 1 })).map((d) => d._id)).toEqual([1, 3]);
  });

  it('lets a document keep or change its own value, refuses another’s, and frees a value on delete', async () => {
    await uniqueIndex('k_1', { k: 1 });
    await run({ insert: coll, documents: [{ _id: 1, k: 1 }, { _id: 2, k: 2 }] });
    expect(await run({ update: coll, updates: [{ q: { _id: 1 }, u: { $set: { k: 1, x: 1 } } }] })).toMatchObject({ ok: 1, nModified: 1 });
    const clash = await run({ update: coll, updates: [{ q: { _id: 1 }, u: { $set: { k: 2 } } }] });
    expect((clash.writeErrors as Document[])[0]).toMatchObject({ code: 11000, keyValue: { k: 2 } });
    expect(await run({ update: coll, updates: [{ q: { _id: 1 }, u: { $set: { k: 3 } } }] })).toMatchObject({ ok: 1, nModified: 1 });
    expect(await run({ insert: coll, documents: [{ _id: 3, k: 1 }] })).toMatchObject({ ok: 1, n: 1 });
    await run({ delete: coll, deletes: [{ q: { _id: 2 }, limit: 1 }] });
    expect(await run({ insert: coll, documents: [{ _id: 4, k: 2 }] })).toMatchObject({ ok: 1, n: 1 });
    expect(await find({ k: 2 })).toEqual([{ _id: 4, k: 2 }]);
    expect(await find({ k: 1 })).toEqual([{ _id: 3, k: 1 }]);
  });

  it('walks the index both ways with bounds that equal stored keys', async () => {
    await uniqueIndex('k_1', { k: 1 });
    await run({ insert: coll, documents: [1, 2, 3, 4, 5].map((k) => ({ _id: k * 10, k })) });
    const ks = async (filter: Document, dir: 1 | -1) => (await find(filter, { k: dir })).map((d) => d.k);
    expect(await ks({ k: { $gte: 2, $lte: 4 } }, -1)).toEqual([4, 3, 2]);
    expect(await ks({ k: { $gte: 2, $lte: 4 } }, 1)).toEqual([2, 3, 4]);
    expect(await ks({ k: { $gt: 2, $lt: 4 } }, -1)).toEqual([3]);
    expect(await ks({ k: { $gt: 2, $lt: 4 } }, 1)).toEqual([3]);
    expect(await ks({ k: { $lt: 3 } }, -1)).toEqual([2, 1]);
    expect(await ks({}, -1)).toEqual([5, 4, 3, 2, 1]);
    const plan = await run({ explain: { find: coll, filter: { k: { $gte: 2, $lte: 4 } }, sort: { k: -1 } }, verbosity: 'executionStats' });
    expect((plan.executionStats as Document).totalDocsExamined).toBe(3);
  });

  it('reports a clashing _id before a clashing unique value, as mongod does', async () => {
    await uniqueIndex('k_1', { k: 1 });
    await run({ insert: coll, documents: [{ _id: 1, k: 1 }] });
    const r = await run({ insert: coll, documents: [{ _id: 1, k: 1 }] });
    expect((r.writeErrors as Document[])[0]).toMatchObject({ code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 1 } });
  });

  it('a refused insert leaves nothing behind in any index', async () => {
    await uniqueIndex('a_1', { a: 1 });
    await uniqueIndex('b_1', { b: 1 });
    await run({ createIndexes: coll, indexes: [{ key: { c: 1 }, name: 'c_1' }] });
    await run({ insert: coll, documents: [{ _id: 1, a: 1, b: 1, c: 1 }] });
    // a:2 is claimed before b:1 is refused; the claim must be undone.
    const r = await run({ insert: coll, documents: [{ _id: 2, a: 2, b: 1, c: 2 }] });
    expect((r.writeErrors as Document[])[0]).toMatchObject({ code: 11000, keyValue: { b: 1 } });
    expect(await find({ a: 2 })).toEqual([]);
    expect(await find({ c: 2 })).toEqual([]);
    expect(await run({ insert: coll, documents: [{ _id: 2, a: 2, b: 2, c: 2 }] })).toMatchObject({ ok: 1, n: 1 });
    expect(await find({ a: { $gte: 1 } }, { a: 1 })).toEqual([
      { _id: 1, a: 1, b: 1, c: 1 },
      { _id: 2, a: 2, b: 2, c: 2 },
    ]);
  });

  it('compares whole values behind truncated keys: long strings sharing a prefix are distinct, equal ones are not', async () => {
    await uniqueIndex('s_1', { s: 1 });
    const prefix = 'x'.repeat(MAX_KEY_STRING);
    const docs = [
      { _id: 1, s: `${prefix}one` },
      { _id: 2, s: `${prefix}two` },
      { _id: 3, s: prefix },
    ];
    expect(await run({ insert: coll, documents: docs })).toMatchObject({ ok: 1, n: 3 });
    for (const d of docs) {
      const r = await run({ insert: coll, documents: [{ _id: d._id + 10, s: d.s }] });
      expect((r.writeErrors as Document[])[0]).toMatchObject({ code: 11000, keyValue: { s: d.s } });
    }
    // (Not sorted by s: values alike in their first 160 characters tie in the index — see the lib README.)
    expect((await find({ s: { $gte: prefix } })).map((d) => d._id).sort()).toEqual([1, 2, 3]);
    expect((await find({ s: { $gt: prefix } })).map((d) => d._id).sort()).toEqual([1, 2]);
    expect((await find({ s: { $lt: `${prefix}two` } })).map((d) => d._id).sort()).toEqual([1, 3]);
    expect((await find({ s: { $gt: `${prefix}one`, $lte: `${prefix}two` } })).map((d) => d._id)).toEqual([2]);
    expect(await find({ s: `${prefix}two` })).toEqual([docs[1]]);
  });

  it('multikey: each array element is a key; one document may repeat its own value', async () => {
    await uniqueIndex('tags_1', { tags: 1 });
    expect(await run({ insert: coll, documents: [{ _id: 1, tags: [1, 2] }, { _id: 2, tags: [3, 3] }] })).toMatchObject({ n: 2 });
    const r = await run({ insert: coll, documents: [{ _id: 3, tags: [4, 2] }] });
    expect((r.writeErrors as Document[])[0]).toMatchObject({ code: 11000, keyValue: { tags: 2 } });
    expect(await find({ tags: 4 })).toEqual([]);
    expect((await find({ tags: { $in: [2, 3] } }, { _id: 1 })).map((d) => d._id)).toEqual([1, 2]);
  });

  it('compound and partial unique indexes: only the whole key, and only covered documents, clash', async () => {
    await uniqueIndex('a_1_b_1', { a: 1, b: 1 });
    await uniqueIndex('e_1', { e: 1 }, { partialFilterExpression: { live: true } });
    expect(await run({ insert: coll, documents: [{ _id: 1, a: 1, b: 1, e: 'x', live: true }, { _id: 2, a: 1, b: 2, e: 'x' }, { _id: 3, a: 2, b: 1, e: 'x' }] })).toMatchObject({ n: 3 });
    const r = await run({ insert: coll, documents: [{ _id: 4, a: 1, b: 2 }, { _id: 5, a: 9, b: 9, e: 'x', live: true }], ordered: false });
    expect((r.writeErrors as Document[]).map((e) => [e.index, e.keyValue])).toEqual([
      [0, { a: 1, b: 2 }],
      [1, { e: 'x' }],
    ]);
  });

  it('an index build over duplicates fails and leaves no index; a good one enforces from then on', async () => {
    await run({ insert: coll, documents: [{ _id: 1, k: 1 }, { _id: 2, k: 1 }, { _id: 3, j: 1 }] });
    await expect(uniqueIndex('k_1', { k: 1 })).rejects.toMatchObject({ code: 11000 });
    expect(store.getColl(`test.${coll}`)!.indexes.map((i) => i.spec.name)).toEqual(['_id_']);
    await uniqueIndex('j_1', { j: 1 }, { sparse: true });
    const r = await run({ insert: coll, documents: [{ _id: 4, j: 1 }] });
    expect((r.writeErrors as Document[])[0]).toMatchObject({ code: 11000, keyValue: { j: 1 } });
  });

  it('keeps its layout and its entries across a restart; dropping the index frees its values', async () => {
    await uniqueIndex('k_1', { k: 1 });
    await run({ insert: coll, documents: [{ _id: 1, k: 'kept' }] });
    engine.stop();
    await store.close();
    open();
    expect(store.getColl(`test.${coll}`)!.indexes[1].layout).toBe(layout === 'exact' ? 'exact' : undefined);
    const r = await run({ insert: coll, documents: [{ _id: 2, k: 'kept' }] });
    expect((r.writeErrors as Document[])[0]).toMatchObject({ code: 11000 });
    expect(await find({ k: 'kept' })).toEqual([{ _id: 1, k: 'kept' }]);
    const ix = store.getColl(`test.${coll}`)!.indexes[1];
    expect([...store.scanIndex(ix, [ix.id], [ix.id, KEY_MAX], false)]).toHaveLength(1);
    await run({ dropIndexes: coll, index: 'k_1' });
    expect([...store.scanIndex(ix, [ix.id], [ix.id, KEY_MAX], false)]).toHaveLength(0);
    expect(await run({ insert: coll, documents: [{ _id: 2, k: 'kept' }] })).toMatchObject({ n: 1 });
    await expect(uniqueIndex('k_2', { k: 1 })).rejects.toMatchObject({ code: 11000 });
  });
});
