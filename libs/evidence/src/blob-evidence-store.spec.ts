import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '@app/platform';
import { LocalBlobStore } from '@app/storage';
import { BlobEvidenceStore } from './blob-evidence-store';
import { sha256Hex } from './evidence-store';

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`),
  );

const readAll = async (r: Readable) => Buffer.concat(await r.toArray());

describe('BlobEvidenceStore (on the local blob store)', () => {
  let root: string;
  let blobs: LocalBlobStore;
  let evidence: BlobEvidenceStore;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(tmpdir(), 'evidence-'));
    blobs = new LocalBlobStore(root);
    evidence = new BlobEvidenceStore(blobs);
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('keeps bytes once and returns their ref; the same bytes again are a no-op with the same ref', async () => {
    const bytes = Buffer.from('a capture');
    const ref = await evidence.put(bytes, { key: 'cap/s1/1.jpg', contentType: 'image/jpeg' });
    expect(ref).toEqual({ key: 'cap/s1/1.jpg', sha256: sha256Hex(bytes), size: bytes.length });
    expect(await evidence.put(Buffer.from('a capture'), { key: 'cap/s1/1.jpg', contentType: 'image/jpeg', sha256: sha256Hex(bytes) })).toEqual(ref);
    expect(await evidence.stat('cap/s1/1.jpg')).toEqual({ ...ref, contentType: 'image/jpeg' });
    expect(await readAll(await evidence.open(ref))).toEqual(bytes);
  });

  it('refuses other bytes under a key already kept, leaving the first ones', async () => {
    const ref = await evidence.put(Buffer.from('first'), { key: 'face/p/t/x.jpg', contentType: 'image/jpeg' });
    expect(await codeOf(evidence.put(Buffer.from('second'), { key: 'face/p/t/x.jpg', contentType: 'image/jpeg' }))).toBe('EVIDENCE_CONFLICT');
    expect(await codeOf(evidence.put(Readable.from([Buffer.from('firsT')]), { key: 'face/p/t/x.jpg', contentType: 'image/jpeg' }))).toBe('EVIDENCE_CONFLICT');
    expect((await readAll(await evidence.open(ref))).toString()).toBe('first');
  });

  it('concurrent puts of one key: the same bytes all get the ref, other bytes a conflict', async () => {
    const key = 'race/1.bin';
    const same = Buffer.alloc(100_000, 3);
    const results = await Promise.allSettled([
      evidence.put(same, { key, contentType: 'application/octet-stream' }),
      evidence.put(Buffer.from(same), { key, contentType: 'application/octet-stream' }),
      evidence.put(Readable.from([same.subarray(0, 10), same.subarray(10)]), { key, contentType: 'application/octet-stream' }),
    ]);
    for (const r of results) expect(r).toEqual({ status: 'fulfilled', value: { key, sha256: sha256Hex(same), size: same.length } });
    expect(await codeOf(evidence.put(Buffer.alloc(100_000, 4), { key, contentType: 'application/octet-stream' }))).toBe('EVIDENCE_CONFLICT');
  });

  it('takes a stream, hashing it while it is stored', async () => {
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const all = Buffer.concat(chunks);
    const ref = await evidence.put(Readable.from(chunks), { key: 'rec/r1.mp4', contentType: 'video/mp4' });
    expect(ref).toEqual({ key: 'rec/r1.mp4', sha256: sha256Hex(all), size: all.length });
    await expect(evidence.verify(ref)).resolves.toBeUndefined();
  });

  it('a declared SHA-256 the bytes do not have is refused, and nothing is kept', async () => {
    const declared = sha256Hex(Buffer.from('what the caller hashed'));
    expect(await codeOf(evidence.put(Buffer.from('other bytes'), { key: 'cap/x.jpg', contentType: 'image/jpeg', sha256: declared }))).toBe('EVIDENCE_HASH_MISMATCH');
    expect(await evidence.stat('cap/x.jpg')).toBeUndefined();
  });

  it('detects bytes altered in place after they were kept: open fails at the end of the stream, verify fails', async () => {
    const ref = await evidence.put(Buffer.from('original bytes'), { key: 'cap/t.jpg', contentType: 'image/jpeg' });
    // Same length, so the store's own size check does not notice; only the hash does.
    await fs.writeFile(path.join(root, 'cap', 't.jpg'), 'Original bytes');
    expect(await codeOf(evidence.verify(ref))).toBe('EVIDENCE_TAMPERED');
    expect(await codeOf(readAll(await evidence.open(ref)))).toBe('EVIDENCE_TAMPERED');
  });

  it('a streamed read of altered bytes stops short of the full size (an HTTP client sees a broken body, not a complete one)', async () => {
    const chunks = Array.from({ length: 8 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const ref = await evidence.put(Readable.from(chunks), { key: 'rec/big.bin', contentType: 'application/octet-stream' });
    const file = path.join(root, 'rec', 'big.bin');
    const fh = await fs.open(file, 'r+');
    await fh.write(Buffer.from([0xff]), 0, 1, 1000);
    await fh.close();
    const seen: Buffer[] = [];
    const stream = await evidence.open(ref);
    const failed = new Promise<unknown>((resolve) => stream.on('error', resolve));
    stream.on('data', (c: Buffer) => seen.push(c));
    expect(await failed).toMatchObject({ code: 'EVIDENCE_TAMPERED' });
    const passed = seen.reduce((n, c) => n + c.length, 0);
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThan(ref.size);
  });

  it('detects a store record rewritten with its object: the ref (kept elsewhere) is what counts', async () => {
    const ref = await evidence.put(Buffer.from('original'), { key: 'cap/u.jpg', contentType: 'image/jpeg' });
    await blobs.put('cap/u.jpg', Buffer.from('replaced'), { contentType: 'image/jpeg' });
    expect(await codeOf(evidence.open(ref))).toBe('EVIDENCE_TAMPERED');
    expect(await codeOf(evidence.verify(ref))).toBe('EVIDENCE_TAMPERED');
  });

  it('a ref whose object is gone is EVIDENCE_NOT_FOUND', async () => {
    expect(await codeOf(evidence.open({ key: 'cap/none.jpg', sha256: sha256Hex(Buffer.from('x')), size: 1 }))).toBe('EVIDENCE_NOT_FOUND');
    expect(await evidence.stat('cap/none.jpg')).toBeUndefined();
  });

  it('has no delete', () => {
    expect('delete' in evidence).toBe(false);
    expect('deletePrefix' in evidence).toBe(false);
  });
});
