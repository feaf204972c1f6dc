import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore } from '@app/storage';
import { hlsIv } from '../hls/key-wrap';
import { isSegmentName } from '../hls/playlist';

/** seg-00042.ts → 42: ffmpeg numbers segment files by their media sequence number. */
export function segmentSequence(name: string): number {
  return Number(/^seg-(\d{5})\.ts$/.exec(name)?.[1] ?? Number.NaN);
}

/** Streams a file as AES-128-CBC ciphertext (see CryptoWorker, which does it off the event loop). */
export interface FileEncryptor {
  encryptFile(file: string, key: Buffer, iv: Buffer): Readable;
}

/**
 * Segments stored at once: while one waits for its fsync, the next is being encrypted and hashed.
 * More would only add memory: two cores, and the disk is one queue.
 */
const PARALLEL_PUTS = 3;

/**
 * Encrypts finished segments into the blob store while ffmpeg is still writing later ones, so
 * packaging and encryption overlap. ffmpeg runs with `-hls_flags temp_file`: a `seg-N.ts` name
 * appears (by rename) only once that segment is complete. Each segment is read once: AES-128-CBC
 * with its sequence number as IV, hashed and written by the store, then the plain file removed.
 */
export class EncryptingSegmentStorer {
  private readonly stored = new Set<string>();
  private readonly started = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private chain: Promise<void> = Promise.resolve();
  /** A pass queued but not yet begun: it will see whatever a new call would, so calls share it. */
  private queued?: Promise<void>;
  private error?: unknown;

  constructor(
    private readonly store: BlobStore,
    private readonly prefix: string,
    private readonly key: Buffer,
    private readonly dir: string,
    private readonly encryptor: FileEncryptor,
  ) {}

  /**
   * Queues a pass over the directory (cheap to call on every file-system event); passes never
   * overlap. Resolves when the pass has started its segments.
   */
  sweep(): Promise<void> {
    if (this.queued) return this.queued;
    const pass = this.chain.then(() => {
      this.queued = undefined;
      return this.error ? undefined : this.startReady().catch((e) => void (this.error ??= e));
    });
    this.queued = pass;
    this.chain = pass;
    return pass;
  }

  /** The last pass, after ffmpeg exited: waits for every segment and rethrows the first storage failure. */
  async finish(): Promise<ReadonlySet<string>> {
    await this.sweep();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.error) throw this.error;
    return this.stored;
  }

  private async startReady(): Promise<void> {
    const ready = (await fs.readdir(this.dir)).filter((n) => isSegmentName(n) && !this.started.has(n)).sort();
    for (const name of ready) {
      while (this.inFlight.size >= PARALLEL_PUTS) await Promise.race(this.inFlight);
      if (this.error) return;
      this.started.add(name);
      const put = this.storeOne(name)
        .catch((e) => void (this.error ??= e))
        .finally(() => this.inFlight.delete(put));
      this.inFlight.add(put);
    }
  }

  private async storeOne(name: string): Promise<void> {
    const file = path.join(this.dir, name);
    const cipher = this.encryptor.encryptFile(file, this.key, hlsIv(undefined, segmentSequence(name)));
    await this.store.put(`${this.prefix}/${name}`, cipher, { contentType: 'video/mp2t' });
    this.stored.add(name);
    await fs.rm(file, { force: true });
  }
}
