import { createHash, Hash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';

/** A pass-through that hashes and counts what flows through it, so a write is hashed inline. */
export class HashingCounter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }

  /** Only valid once the stream has ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
