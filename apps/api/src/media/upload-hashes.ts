import { createHash, Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';

interface HashState {
  hash: Hash;
  /** Bytes of the upload file hashed so far: always the file's length after the last good write. */
  bytes: number;
  touched: number;
}

/**
 * SHA-256 of each tus upload computed as its bytes arrive, so packaging does not read a
 * multi-GB source a second time just to hash it. A write is hashed only when it continues exactly
 * where the hash stands; after a failed write, a restart or any doubt, the hash is rebuilt from the
 * bytes already on disk before the next write goes on. While a write runs its state is out of the
 * map, so a failure can never leave a hash that disagrees with the file.
 */
export class UploadHashes {
  private readonly states = new Map<string, HashState>();

  constructor(private readonly fileOf: (uploadId: string) => string) {}

  /** Wraps one store write (tus PATCH or creation-with-upload); `write` resolves to the new offset. */
  async write(uploadId: string, offset: number, body: Readable, write: (body: Readable) => Promise<number>): Promise<number> {
    let state = this.states.get(uploadId);
    this.states.delete(uploadId);
    if (!state || state.bytes !== offset) state = await this.rebuild(uploadId, offset);
    const s = state;
    const tee = new Transform({
      transform(chunk: Buffer, _enc, done) {
        s.hash.update(chunk);
        s.bytes += chunk.length;
        done(null, chunk);
      },
    });
    body.once('error', (e) => tee.destroy(e));
    const newOffset = await write(body.pipe(tee));
    if (s.bytes === newOffset) {
      s.touched = Date.now();
      this.states.set(uploadId, s);
    }
    return newOffset;
  }

  /** The finished upload's hex SHA-256, once; undefined when it cannot be vouched for (then hash the file). */
  take(uploadId: string, size: number): string | undefined {
    const state = this.states.get(uploadId);
    this.states.delete(uploadId);
    return state && state.bytes === size ? state.hash.digest('hex') : undefined;
  }

  /** Hash states of uploads idle longer than this are dropped; a later resume rebuilds from disk. */
  prune(idleMs: number, now = Date.now()): void {
    for (const [id, state] of this.states) if (now - state.touched > idleMs) this.states.delete(id);
  }

  get size(): number {
    return this.states.size;
  }

  private async rebuild(uploadId: string, offset: number): Promise<HashState> {
    const hash = createHash('sha256');
    let read = 0;
    if (offset > 0) {
      for await (const chunk of createReadStream(this.fileOf(uploadId), { start: 0, end: offset - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        read += chunk.length;
      }
    }
    // A file shorter than tus believes can never be vouched for (NaN matches no offset).
    return { hash, bytes: read === offset ? offset : Number.NaN, touched: Date.now() };
  }
}
