import { Injectable } from '@nestjs/common';
import { createHash, Hash } from 'node:crypto';
import { pipeline, Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { BlobHashMismatchError, BlobNotFoundError, BlobStore } from '@app/storage';
import { evidenceError } from './evidence.errors';
import { EvidenceInfo, EvidenceMeta, EvidenceRef, EvidenceStore } from './evidence-store';

/**
 * Passes the bytes through, holding back the latest chunk until the end: only when all of them
 * hash to the ref is it released. Bytes that do not match end in EVIDENCE_TAMPERED short of the
 * ref's size, so an HTTP response (its Content-Length is the ref's size) fails at the client too
 * instead of completing with altered bytes.
 */
class Verifying extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private held: Buffer | undefined;

  constructor(private readonly ref: EvidenceRef) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    const previous = this.held;
    this.held = chunk;
    done(null, previous);
  }

  override _flush(done: TransformCallback): void {
    const sha256 = this.hash.digest('hex');
    if (sha256 === this.ref.sha256 && this.size === this.ref.size) return done(null, this.held);
    done(evidenceError('EVIDENCE_TAMPERED', { key: this.ref.key, reason: 'bytes', sha256, size: this.size }));
  }
}

/**
 * Evidence on the blob store's write-once put. The key is claimed atomically by the store, so two
 * writers of one key cannot both win; the loser's bytes are compared with what the store recorded
 * for the winner's: equal is the same evidence again, different is a conflict.
 */
@Injectable()
export class BlobEvidenceStore extends EvidenceStore {
  constructor(private readonly blobs: BlobStore) {
    super();
  }

  async put(input: Buffer | Readable, meta: EvidenceMeta): Promise<EvidenceRef> {
    const { key } = meta;
    let result;
    try {
      result = await this.blobs.putIfAbsent(key, input, { contentType: meta.contentType, expectSha256: meta.sha256, retainUntil: meta.retainUntil });
    } catch (e) {
      if (e instanceof BlobHashMismatchError) throw evidenceError('EVIDENCE_HASH_MISMATCH', { key, declared: e.expected, actual: e.actual });
      throw e;
    }
    const { outcome, stored, offered } = result;
    if (outcome === 'created') return { key, sha256: offered.sha256, size: offered.size };
    // Taken by an object whose own record does not match its bytes: not something to build on.
    if (!stored) throw evidenceError('EVIDENCE_TAMPERED', { key, reason: 'record' });
    if (stored.sha256 !== offered.sha256 || stored.size !== offered.size) {
      throw evidenceError('EVIDENCE_CONFLICT', { key, stored: stored.sha256, offered: offered.sha256 });
    }
    return { key, sha256: stored.sha256, size: stored.size };
  }

  async stat(key: string): Promise<EvidenceInfo | undefined> {
    const info = await this.blobs.stat(key);
    return info && { key, sha256: info.sha256, size: info.size, contentType: info.contentType };
  }

  async open(ref: EvidenceRef): Promise<Readable> {
    const info = await this.blobs.stat(ref.key);
    if (!info) throw evidenceError('EVIDENCE_NOT_FOUND', { key: ref.key });
    // The store's record can be rewritten with its object; the ref lives elsewhere (the database), so it is what counts.
    if (info.sha256 !== ref.sha256 || info.size !== ref.size) throw evidenceError('EVIDENCE_TAMPERED', { key: ref.key, reason: 'record' });
    let body: Readable;
    try {
      body = await this.blobs.read(ref.key);
    } catch (e) {
      if (e instanceof BlobNotFoundError) throw evidenceError('EVIDENCE_NOT_FOUND', { key: ref.key });
      throw e;
    }
    const verifying = new Verifying(ref);
    // A failure on either side reaches the reader as the returned stream's error.
    pipeline(body, verifying, () => undefined);
    return verifying;
  }

  async verify(ref: EvidenceRef): Promise<void> {
    const body = await this.open(ref);
    await new Promise<void>((resolve, reject) =>
      pipeline(body, new Writable({ write: (_c, _e, done) => done() }), (e) => (e ? reject(e) : resolve())),
    );
  }
}
