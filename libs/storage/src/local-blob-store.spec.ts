import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { BlobHashMismatchError, BlobNotFoundError, BlobRetainedError } from './blob-store';
import { LocalBlobStore } from './local-blob-store';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('LocalBlobStore', () => {
  let root: string;
  let store: LocalBlobStore;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(tmpdir(), 'blobs-'));
    store = new LocalBlobStore(root);
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('streams a write, records size and SHA-256, and reads it back whole and by range', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
    const all = Buffer.concat(chunks);
    const info = await store.put('a/b/c.ts', Readable.from(chunks), { contentType: 'video/mp2t' });
    expect(info).toEqual({ key: 'a/b/c.ts', size: all.length, sha256: sha(all), contentType: 'video/mp2t' });
    expect(await store.stat('a/b/c.ts')).toEqual(info);
    const whole = Buffer.concat(await (await store.read('a/b/c.ts')).toArray());
    expect(whole.equals(all)).toBe(true);
    const part = Buffer.concat(await (await store.read('a/b/c.ts', { start: 10_000, end: 10_009 })).toArray());
    expect(part.equals(Buffer.alloc(10, 1))).toBe(true);
  });

  it('overwrites atomically and leaves no temporary files', async () => {
    await store.put('k', Buffer.from('one'));
    const info = await store.put('k', Buffer.from('second'));
    expect(info.sha256).toBe(sha('second'));
    expect(await text(await store.read('k'))).toBe('second');
    expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('a write that fails midway leaves nothing visible and no temporary file', async () => {
    async function* broken() {
      yield Buffer.from('half of it');
      throw new Error('connection lost');
    }
    await expect(store.put('x/y', Readable.from(broken()))).rejects.toThrow('connection lost');
    expect(await store.stat('x/y')).toBeUndefined();
    await expect(store.read('x/y')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('treats an object without its metadata as absent (an interrupted write)', async () => {
    await fs.mkdir(path.join(root, 'p'), { recursive: true });
    await fs.writeFile(path.join(root, 'p', 'orphan'), 'bytes');
    expect(await store.stat('p/orphan')).toBeUndefined();
  });

  it('deletes single objects and whole prefixes, idempotently', async () => {
    await store.put('hls/1/a.ts', Buffer.from('a'));
    await store.put('hls/1/b.ts', Buffer.from('b'));
    await store.put('hls/2/a.ts', Buffer.from('c'));
    expect(await store.deletePrefix('hls/1')).toBe(2);
    expect(await store.stat('hls/1/a.ts')).toBeUndefined();
    expect(await store.stat('hls/2/a.ts')).toBeDefined();
    await store.delete('hls/2/a.ts');
    await store.delete('hls/2/a.ts');
    expect(await store.stat('hls/2/a.ts')).toBeUndefined();
    expect(await store.deletePrefix('nothing/here')).toBe(0);
  });

  describe('putIfAbsent (write-once)', () => {
    it('creates an absent object, and never overwrites an existing one', async () => {
      const first = await store.putIfAbsent('ev/a.jpg', Readable.from([Buffer.from('one')]), { contentType: 'image/jpeg' });
      expect(first).toEqual({
        outcome: 'created',
        stored: { key: 'ev/a.jpg', size: 3, sha256: sha('one'), contentType: 'image/jpeg' },
        offered: { size: 3, sha256: sha('one') },
      });
      const again = await store.putIfAbsent('ev/a.jpg', Buffer.from('other bytes'));
      expect(again).toEqual({ outcome: 'exists', stored: first.stored, offered: { size: 11, sha256: sha('other bytes') } });
      expect(await text(await store.read('ev/a.jpg'))).toBe('one');
      expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
    });

    it('of concurrent writers to one key exactly one creates it, and its bytes are the ones kept', async () => {
      const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(50_000, i));
      const results = await Promise.all(bodies.map((b) => store.putIfAbsent('race/k', b)));
      const winners = results.filter((r) => r.outcome === 'created');
      expect(winners).toHaveLength(1);
      const kept = Buffer.concat(await (await store.read('race/k')).toArray());
      expect(sha(kept)).toBe(winners[0].offered.sha256);
      for (const r of results) expect(r.stored?.sha256).toBe(winners[0].offered.sha256);
    });

    it('refuses bytes that do not hash to the declared SHA-256, storing nothing', async () => {
      await expect(store.putIfAbsent('ev/b', Buffer.from('abc'), { expectSha256: sha('abd') })).rejects.toBeInstanceOf(BlobHashMismatchError);
      expect(await store.stat('ev/b')).toBeUndefined();
      expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
      expect((await store.putIfAbsent('ev/b', Buffer.from('abc'), { expectSha256: sha('abc') })).outcome).toBe('created');
    });

    it('an object claimed without its sidecar (a crash between the two) is recorded from its bytes, not replaced', async () => {
      await fs.mkdir(path.join(root, 'p'), { recursive: true });
      await fs.writeFile(path.join(root, 'p', 'bare'), 'first bytes');
      const r = await store.putIfAbsent('p/bare', Buffer.from('second'));
      expect(r.outcome).toBe('exists');
      expect(r.stored).toMatchObject({ size: 11, sha256: sha('first bytes') });
      expect(await text(await store.read('p/bare'))).toBe('first bytes');
    });

    it('a write that fails midway claims nothing', async () => {
      async function* broken() {
        yield Buffer.from('half');
        throw new Error('connection lost');
      }
      await expect(store.putIfAbsent('x/z', Readable.from(broken()))).rejects.toThrow('connection lost');
      expect(await store.stat('x/z')).toBeUndefined();
      expect((await store.putIfAbsent('x/z', Buffer.from('whole'))).outcome).toBe('created');
      expect(await fs.readdir(path.join(root, '.tmp'))).toEqual([]);
    });
  });

  it.each(['', '/abs', '../up', 'a/../b', 'a//b', '.hidden', 'a/.tmp', 'sp ace'])('refuses the key %j', async (key) => {
    await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(RangeError);
  });

  describe('evidence under retention (write once, read-only, no delete before its date)', () => {
    const future = new Date(Date.now() + 5 * 365 * 86_400_000);

    it('makes the object and its sidecar read-only, reports its date, and refuses delete, prefix delete and overwrite', async () => {
      const r = await store.putIfAbsent('recordings/s1/a.mp4', Buffer.from('video bytes'), { contentType: 'video/mp4', retainUntil: future });
      expect(r.stored?.retainUntil).toEqual(future);
      expect(await store.stat('recordings/s1/a.mp4')).toMatchObject({ retainUntil: future, sha256: sha('video bytes') });
      for (const f of ['a.mp4', 'a.mp4.meta.json']) expect((await fs.stat(path.join(root, 'recordings', 's1', f))).mode & 0o777).toBe(0o444);
      await expect(store.delete('recordings/s1/a.mp4')).rejects.toBeInstanceOf(BlobRetainedError);
      await expect(store.deletePrefix('recordings/s1')).rejects.toBeInstanceOf(BlobRetainedError);
      await expect(store.put('recordings/s1/a.mp4', Buffer.from('other'))).rejects.toBeInstanceOf(BlobRetainedError);
      expect(await text(await store.read('recordings/s1/a.mp4'))).toBe('video bytes');
    });

    it('lets it go once the date has passed; objects without a date delete as before', async () => {
      await store.putIfAbsent('captures/old.jpg', Buffer.from('old'), { retainUntil: new Date(Date.now() - 1000) });
      await store.delete('captures/old.jpg');
      expect(await store.stat('captures/old.jpg')).toBeUndefined();
      await store.put('hls/l1/seg.ts', Buffer.from('seg'));
      expect(await store.deletePrefix('hls/l1')).toBe(1);
    });
  });
});
