import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { UploadHashes } from './upload-hashes';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('UploadHashes', () => {
  let dir: string;
  const fileOf = (id: string) => path.join(dir, id);
  /** What @tus/file-store does: the body into the file at the offset; the new offset is what was written. */
  const fileWrite = (id: string, offset: number) => async (body: Readable) => {
    const fh = await fs.open(fileOf(id), 'r+');
    let n = 0;
    try {
      for await (const c of body as AsyncIterable<Buffer>) {
        await fh.write(c, 0, c.length, offset + n);
        n += c.length;
      }
    } catch {
      throw new Error('FILE_WRITE_ERROR');
    } finally {
      await fh.close();
    }
    return offset + n;
  };
  const chunks = (b: Buffer, size = 7000) => Readable.from(Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)));
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(tmpdir(), 'uphash-'));
    await fs.writeFile(fileOf('u'), '');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('hashes an upload written in several PATCHes, without reading the file again', async () => {
    const bytes = randomBytes(100_000);
    const hashes = new UploadHashes(fileOf);
    let offset = 0;
    for (const part of [bytes.subarray(0, 30_000), bytes.subarray(30_000, 30_000), bytes.subarray(30_000)]) {
      offset = await hashes.write('u', offset, chunks(part), fileWrite('u', offset));
    }
    expect(offset).toBe(bytes.length);
    // Prove the digest came from the stream: spoil the file, the hash must not change.
    await fs.writeFile(fileOf('u'), Buffer.alloc(bytes.length));
    expect(hashes.take('u', bytes.length)).toBe(sha(bytes));
    expect(hashes.take('u', bytes.length)).toBeUndefined();
  });

  it('after a PATCH that failed midway, rebuilds from the bytes on disk and still ends right', async () => {
    const bytes = randomBytes(200_000);
    const hashes = new UploadHashes(fileOf);
    async function* cut() {
      yield bytes.subarray(0, 60_000);
      yield bytes.subarray(60_000, 90_000);
      throw new Error('connection reset');
    }
    await expect(hashes.write('u', 0, Readable.from(cut()), fileWrite('u', 0))).rejects.toThrow();
    const onDisk = (await fs.stat(fileOf('u'))).size;
    expect(onDisk).toBeGreaterThan(0);
    expect(hashes.size).toBe(0);
    await hashes.write('u', onDisk, chunks(bytes.subarray(onDisk)), fileWrite('u', onDisk));
    expect(hashes.take('u', bytes.length)).toBe(sha(bytes));
  });

  it('resumes after a restart (a fresh instance) from what is on disk', async () => {
    const bytes = randomBytes(50_000);
    await new UploadHashes(fileOf).write('u', 0, chunks(bytes.subarray(0, 20_000)), fileWrite('u', 0));
    const afterRestart = new UploadHashes(fileOf);
    await afterRestart.write('u', 20_000, chunks(bytes.subarray(20_000)), fileWrite('u', 20_000));
    expect(afterRestart.take('u', bytes.length)).toBe(sha(bytes));
  });

  it('does not vouch for a size it did not see, nor for a file shorter than its offset', async () => {
    const hashes = new UploadHashes(fileOf);
    await hashes.write('u', 0, chunks(randomBytes(1000)), fileWrite('u', 0));
    expect(hashes.take('u', 2000)).toBeUndefined();
    await fs.writeFile(fileOf('v'), randomBytes(10));
    await hashes.write('v', 500, chunks(randomBytes(10)), fileWrite('v', 500));
    expect(hashes.take('v', 510)).toBeUndefined();
  });

  it('forgets idle uploads', async () => {
    const hashes = new UploadHashes(fileOf);
    await hashes.write('u', 0, chunks(randomBytes(10)), fileWrite('u', 0));
    hashes.prune(60_000, Date.now() + 30_000);
    expect(hashes.size).toBe(1);
    hashes.prune(60_000, Date.now() + 61_000);
    expect(hashes.size).toBe(0);
  });
});
