import type { Readable } from 'node:stream';

/** What the store knows about one object. */
export interface BlobInfo {
  key: string;
  size: number;
  /** Hex SHA-256 of the bytes, computed while they were written. */
  sha256: string;
  contentType: string;
}

export interface PutOptions {
  contentType?: string;
}

/** Inclusive byte range, as HTTP Range gives it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The one interface every context writes files through. Writes are streamed and atomic: an
 * object is either absent or complete with its recorded SHA-256; a reader never sees half of it.
 */
export abstract class BlobStore {
  abstract readonly driver: 'local' | 's3';
  abstract put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<BlobInfo>;
  /** Undefined when the object does not exist. */
  abstract stat(key: string): Promise<BlobInfo | undefined>;
  /** Reads the object (or the inclusive range). Throws BlobNotFoundError when absent. */
  abstract read(key: string, range?: ByteRange): Promise<Readable>;
  /** Idempotent: deleting an absent object is not an error. */
  abstract delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with the prefix (a lesson's old rendition). */
  abstract deletePrefix(prefix: string): Promise<number>;
  /** A round trip proving the store is usable, for /health. */
  abstract check(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
  }
}

/**
 * Keys are slash-separated paths of safe segments: no absolute paths, no `..`, no empty or hidden
 * segments, so a key can never escape the store's root directory or bucket prefix.
 */
export function assertValidKey(key: string): void {
  const ok =
    key.length > 0 &&
    key.length <= 512 &&
    key.split('/').every((seg) => /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(seg) && seg !== '..' && seg !== '.');
  if (!ok) throw new RangeError(`invalid blob key: ${JSON.stringify(key)}`);
}
