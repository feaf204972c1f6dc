import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine } from './engine';
import { createEngine } from './server';
import { Store } from './storage/store';

describe('command dispatch', () => {
  let dir: string;
  let store: Store;
  let engine: Engine;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'em-engine-'));
    store = new Store(dir);
    engine = createEngine(store, { host: '127.0.0.1', port: 1, setName: 'rs0', startedAt: new Date() });
  });
  afterAll(async () => {
    engine.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers an unknown command with CommandNotFound (59) naming it', async () => {
    const r = await engine.dispatch('test', { frobnicate: 1 }, 1);
    expect(r).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    expect(r.errmsg).toContain('frobnicate');
  });

  it('names an unsupported query operator and pipeline stage', async () => {
    await engine.dispatch('test', { insert: 'c', documents: [{ a: 1 }] }, 1);
    const q = await engine.dispatch('test', { find: 'c', filter: { a: { $frob: 1 } } }, 1);
    expect(q).toMatchObject({ ok: 0 });
    expect(q.errmsg).toContain('$frob');
    const a = await engine.dispatch('test', { aggregate: 'c', pipeline: [{ $frob: {} }], cursor: {} }, 1);
    expect(a).toMatchObject({ ok: 0, code: 40324 });
    expect(a.errmsg).toContain('$frob');
  });

  it('reports its durable commits in serverStatus (embedded.commits), one more per write', async () => {
    const before = (await engine.dispatch('admin', { serverStatus: 1 }, 1)).embedded;
    expect(before.commits).toMatchObject({ count: expect.any(Number), over1ms: expect.any(Number) });
    expect(before.gcPauses).toMatchObject({ count: 0 });
    await engine.dispatch('test', { insert: 'status', documents: [{ a: 1 }] }, 1);
    const after = (await engine.dispatch('admin', { serverStatus: 1 }, 1)).embedded;
    expect(after.commits.count).toBe(before.commits.count + 1);
    expect(after.commits.totalMs).toBeGreaterThan(before.commits.totalMs);
  });

  it('advertises a replica-set primary with sessions', async () => {
    const r = await engine.dispatch('admin', { hello: 1 }, 1);
    expect(r).toMatchObject({ ok: 1, isWritablePrimary: true, setName: 'rs0', logicalSessionTimeoutMinutes: 30 });
    expect(r.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(r.topologyVersion).toBeUndefined();
  });

  it('refuses commitTransaction without a transaction (NoSuchTransaction 251, transient)', async () => {
    const r = await engine.dispatch('admin', { commitTransaction: 1 }, 1);
    expect(r).toMatchObject({ ok: 0, code: 251, errorLabels: ['TransientTransactionError'] });
  });

  it('reports bad arguments with a code instead of throwing', async () => {
    expect(await engine.dispatch('test', { insert: 'c' }, 1)).toMatchObject({ ok: 0, code: 9 });
    expect(await engine.dispatch('test', { find: 5 }, 1)).toMatchObject({ ok: 0, code: 73 });
    expect(await engine.dispatch('test', { getMore: 12345, collection: 'c' }, 1)).toMatchObject({ ok: 0, code: 43 });
  });
});
