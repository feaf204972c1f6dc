import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BatchAbort, Store, decodeDoc } from './store';

/** Group commit: writes queued in one event-loop turn share a transaction, atomic ones get their own. */
describe('Store.write', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-commit-'));
    store = new Store(dir);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const insert = (coll: string, doc: Record<string, unknown>) =>
    store.write((w) => {
      w.insert(w.ensureColl('b', coll), doc);
      return doc._id;
    });
  const ids = (s: Store, coll: string) => {
    const meta = s.getColl(`b.${coll}`);
    return meta ? [...s.scanDocs(meta.id, false)].map((e) => decodeDoc(e.value)._id) : undefined;
  };

  it('a failing atomic job between statement writes of the same turn rolls back alone', async () => {
    const a = insert('x', { _id: 1 });
    const b = store.write((w) => {
      w.insert(w.ensureColl('b', 'y'), { _id: 1 });
      w.insert(w.ensureColl('b', 'x'), { _id: 99 });
      throw new Error('boom');
    }, true);
    const c = insert('x', { _id: 2 });
    const failing = store.write((w) => w.insert(w.ensureColl('b', 'x'), { _id: 1 }));
    await expect(a).resolves.toBe(1);
    await expect(b).rejects.toThrow('boom');
    await expect(c).resolves.toBe(2);
    await expect(failing).rejects.toMatchObject({ code: 11000 });
    expect(store.getColl('b.y')).toBeUndefined();
    expect(ids(store, 'x')).toEqual([1, 2]);
    // What was acknowledged is what a fresh open of the files finds.
    await store.close();
    store = new Store(dir);
    expect(store.getColl('b.y')).toBeUndefined();
    expect(ids(store, 'x')).toEqual([1, 2]);
  });

  it('a job that fails after it began to mutate (BatchAbort) rolls back alone; the others of its turn commit in one more transaction', async () => {
    const a = insert('x', { _id: 1 });
    const b = store.write((w) => {
      w.insert(w.ensureColl('b', 'x'), { _id: 50 });
      throw new BatchAbort(new Error('half-applied'));
    });
    const c = insert('x', { _id: 2 });
    await expect(a).resolves.toBe(1);
    await expect(b).rejects.toThrow('half-applied');
    await expect(c).resolves.toBe(2);
    expect(ids(store, 'x')).toEqual([1, 2]);
    await store.close();
    store = new Store(dir);
    expect(ids(store, 'x')).toEqual([1, 2]);
  });

  it('a job sees the collection an earlier job of the same transaction created', async () => {
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => insert('z', { _id: i })));
    expect(all).toHaveLength(50);
    expect(store.listColls('b').map((c) => c.name)).toEqual(['z']);
    expect(ids(store, 'z')).toHaveLength(50);
  });

  it('resolves writes queued while another turn was committing, in order', async () => {
    const order: number[] = [];
    const first = Array.from({ length: 20 }, (_, i) => insert('q', { _id: i }).then(() => order.push(i)));
    await new Promise((r) => setImmediate(r));
    const second = Array.from({ length: 20 }, (_, i) => insert('q', { _id: 20 + i }).then(() => order.push(20 + i)));
    await Promise.all([...first, ...second]);
    expect(order).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
