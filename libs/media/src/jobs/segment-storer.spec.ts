import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocalBlobStore } from '@app/storage';
import { decryptHlsSegment, hlsIv } from '../hls/key-wrap';
import { CryptoWorker } from './crypto-worker';
import { EncryptingSegmentStorer, segmentSequence } from './segment-storer';

describe('EncryptingSegmentStorer', () => {
  let dir: string;
  let store: LocalBlobStore;
  const worker = new CryptoWorker();
  afterAll(() => worker.close());
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(tmpdir(), 'segs-'));
    await fs.mkdir(path.join(dir, 'out'));
    store = new LocalBlobStore(path.join(dir, 'blobs'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('stores only finished segments, each encrypted with its sequence number as IV, and removes the plain file', async () => {
    const key = randomBytes(16);
    const out = path.join(dir, 'out');
    const seg = (n: number) => Buffer.alloc(188 * 10 + n, n);
    await fs.writeFile(path.join(out, 'seg-00000.ts'), seg(0));
    await fs.writeFile(path.join(out, 'seg-00001.ts.tmp'), seg(1));
    await fs.writeFile(path.join(out, 'index.m3u8'), '#EXTM3U');
    const storer = new EncryptingSegmentStorer(store, 'hls/l/r', key, out, worker);
    await storer.sweep();
    expect(await store.stat('hls/l/r/seg-00001.ts')).toBeUndefined();
    // ffmpeg finishes segment 1 by renaming it.
    await fs.rename(path.join(out, 'seg-00001.ts.tmp'), path.join(out, 'seg-00001.ts'));
    const stored = await storer.finish();
    expect([...stored].sort()).toEqual(['seg-00000.ts', 'seg-00001.ts']);
    for (const n of [0, 1]) {
      const enc = Buffer.concat(await (await store.read(`hls/l/r/seg-0000${n}.ts`)).toArray());
      expect(decryptHlsSegment(key, hlsIv(undefined, n), enc).equals(seg(n))).toBe(true);
    }
    expect((await fs.readdir(out)).sort()).toEqual(['index.m3u8']);
  });

  it('stores many segments, a few at a time, each complete and decryptable', async () => {
    const key = randomBytes(16);
    const out = path.join(dir, 'out');
    const segs = Array.from({ length: 12 }, (_, n) => randomBytes(100_000 * n + 17));
    await Promise.all(segs.map((b, n) => fs.writeFile(path.join(out, `seg-${String(n).padStart(5, '0')}.ts`), b)));
    const storer = new EncryptingSegmentStorer(store, 'hls/l/r', key, out, worker);
    void storer.sweep();
    expect((await storer.finish()).size).toBe(12);
    for (const [n, plain] of segs.entries()) {
      const name = `seg-${String(n).padStart(5, '0')}.ts`;
      const enc = Buffer.concat(await (await store.read(`hls/l/r/${name}`)).toArray());
      expect(decryptHlsSegment(key, hlsIv(undefined, n), enc).equals(plain)).toBe(true);
    }
  });

  it('reports a storage failure at finish', async () => {
    const out = path.join(dir, 'out');
    await fs.writeFile(path.join(out, 'seg-00000.ts'), 'x');
    const broken = { put: () => Promise.reject(new Error('disk full')) } as unknown as LocalBlobStore;
    const storer = new EncryptingSegmentStorer(broken, 'p', randomBytes(16), out, worker);
    await storer.sweep();
    await expect(storer.finish()).rejects.toThrow('disk full');
  });

  it('reads the sequence number from the file name', () => {
    expect(segmentSequence('seg-00042.ts')).toBe(42);
    expect(segmentSequence('seg-42.ts')).toBeNaN();
  });
});
