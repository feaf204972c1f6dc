import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CryptoWorker } from './crypto-worker';

const reference = (key: Buffer, iv: Buffer, plain: Buffer) => {
  const c = createCipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([c.update(plain), c.final()]);
};

describe('CryptoWorker', () => {
  let dir: string;
  let worker: CryptoWorker;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(tmpdir(), 'cryptow-'));
    worker = new CryptoWorker();
  });
  afterEach(async () => {
    await worker.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([0, 1, 15, 16, 17, 1 << 20, (1 << 20) + 5, 5 * (1 << 20) + 3])('encrypts %i bytes exactly as AES-128-CBC with PKCS#7 does', async (size) => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const plain = randomBytes(size);
    const file = path.join(dir, 'f');
    await fs.writeFile(file, plain);
    const enc = Buffer.concat(await worker.encryptFile(file, key, iv).toArray());
    expect(enc.equals(reference(key, iv, plain))).toBe(true);
  });

  it('keeps several files apart when they are encrypted at once, and a slow reader holds the worker back', async () => {
    const key = randomBytes(16);
    const plains = [randomBytes(9 << 20), randomBytes(3 << 20), randomBytes(100)];
    await Promise.all(plains.map((p, i) => fs.writeFile(path.join(dir, `f${i}`), p)));
    const streams = plains.map((_, i) => worker.encryptFile(path.join(dir, `f${i}`), key, Buffer.alloc(16, i)));
    // Nothing is read from the first stream for a while: its buffer must stay near the window.
    await new Promise((r) => setTimeout(r, 300));
    expect(streams[0].readableLength).toBeLessThanOrEqual(4 << 20);
    const outs = await Promise.all(streams.map(async (s) => Buffer.concat(await s.toArray())));
    outs.forEach((enc, i) => expect(enc.equals(reference(key, Buffer.alloc(16, i), plains[i]))).toBe(true));
  });

  it('fails the stream for a missing file and goes on serving others', async () => {
    await expect(worker.encryptFile(path.join(dir, 'absent'), randomBytes(16), randomBytes(16)).toArray()).rejects.toThrow(/ENOENT/);
    await fs.writeFile(path.join(dir, 'x'), 'abc');
    expect((await worker.encryptFile(path.join(dir, 'x'), Buffer.alloc(16), Buffer.alloc(16)).toArray()).length).toBeGreaterThan(0);
  });

  it('stops a file that the reader abandons', async () => {
    await fs.writeFile(path.join(dir, 'big'), randomBytes(8 << 20));
    const s = worker.encryptFile(path.join(dir, 'big'), Buffer.alloc(16), Buffer.alloc(16));
    await new Promise<void>((resolve) => s.once('readable', () => resolve()));
    s.destroy();
    await fs.writeFile(path.join(dir, 'small'), 'after');
    const enc = Buffer.concat(await worker.encryptFile(path.join(dir, 'small'), Buffer.alloc(16), Buffer.alloc(16)).toArray());
    expect(enc.equals(reference(Buffer.alloc(16), Buffer.alloc(16), Buffer.from('after')))).toBe(true);
  });

  it('hashes a file with SHA-256, and rejects a missing one', async () => {
    const bytes = randomBytes(3 * (1 << 20) + 11);
    await fs.writeFile(path.join(dir, 'h'), bytes);
    expect(await worker.sha256File(path.join(dir, 'h'))).toBe(createHash('sha256').update(bytes).digest('hex'));
    await expect(worker.sha256File(path.join(dir, 'nope'))).rejects.toThrow(/ENOENT/);
  });

  it('closing under a stream nobody reads any more ends it quietly; one still read fails with the reason', async () => {
    await fs.writeFile(path.join(dir, 'big'), randomBytes(8 << 20));
    const forgotten = worker.encryptFile(path.join(dir, 'big'), Buffer.alloc(16), Buffer.alloc(16));
    const read = worker.encryptFile(path.join(dir, 'big'), Buffer.alloc(16), Buffer.alloc(16));
    const failed = read.toArray();
    await new Promise<void>((resolve) => forgotten.once('readable', () => resolve()));
    forgotten.pause();
    forgotten.removeAllListeners('readable');
    // An 'error' without a listener would be thrown as an uncaught exception and fail this spec.
    await worker.close();
    await expect(failed).rejects.toThrow(/closed|exited/);
    await new Promise((r) => setImmediate(r));
    expect(forgotten.destroyed).toBe(true);
  });

  it('refuses work once closed', async () => {
    await worker.close();
    await expect(worker.sha256File(__filename)).rejects.toThrow(/closed/);
    await expect(worker.encryptFile(__filename, Buffer.alloc(16), Buffer.alloc(16)).toArray()).rejects.toThrow(/closed/);
  });
});
