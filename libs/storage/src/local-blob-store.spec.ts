import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { BlobNotFoundError } from './blob-store';
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

  it.each(['', '/abs', '../up', 'a/../b', 'a//b', '.hidden', 'a/.tmp', 'sp ace'])('refuses the key %j', async (key) => {
    await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(RangeError);
  });
});
