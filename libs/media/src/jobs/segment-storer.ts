import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { BlobStore } from '@app/storage';
import { hlsIv, hlsSegmentCipher } from '../hls/key-wrap';
import { isSegmentName } from '../hls/playlist';

/** seg-00042.ts → 42: ffmpeg numbers segment files by their media sequence number. */
export function segmentSequence(name: string): number {
  return Number(/^seg-(\d{5})\.ts$/.exec(name)?.[1] ?? Number.NaN);
}

/**
 * Encrypts finished segments into the blob store while ffmpeg is still writing later ones, so
 * packaging and encryption overlap. ffmpeg runs with `-hls_flags temp_file`: a `seg-N.ts` name
 * appears (by rename) only once that segment is complete. Each segment is read once: AES-128-CBC
 * with its sequence number as IV, hashed and written by the store, then the plain file removed.
 */
export class EncryptingSegmentStorer {
  private readonly stored = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private error?: unknown;

  constructor(
    private readonly store: BlobStore,
    private readonly prefix: string,
    private readonly key: Buffer,
    private readonly dir: string,
  ) {}

  /** Queues a pass over the directory; passes never overlap. Resolves when this pass is done. */
  sweep(): Promise<void> {
    this.chain = this.chain.then(() => (this.error ? undefined : this.storeReady().catch((e) => void (this.error = e))));
    return this.chain;
  }

  /** The last pass, after ffmpeg exited: rethrows the first storage failure. */
  async finish(): Promise<ReadonlySet<string>> {
    await this.sweep();
    if (this.error) throw this.error;
    return this.stored;
  }

  private async storeReady(): Promise<void> {
    const ready = (await fs.readdir(this.dir)).filter((n) => isSegmentName(n) && !this.stored.has(n)).sort();
    for (const name of ready) {
      const cipher = hlsSegmentCipher(this.key, hlsIv(undefined, segmentSequence(name)));
      const file = path.join(this.dir, name);
      const plain = createReadStream(file, { highWaterMark: 1 << 20 }).on('error', (e) => cipher.destroy(e));
      await this.store.put(`${this.prefix}/${name}`, plain.pipe(cipher), { contentType: 'video/mp2t' });
      this.stored.add(name);
      await fs.rm(file, { force: true });
    }
  }
}
