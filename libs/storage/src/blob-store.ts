import type { Readable } from 'node:stream';

/** What the store knows about one object. */
export interface BlobInfo {
  key: string;
  size: number;
  /** Hex SHA-256 of the bytes, computed while they were written. */
  sha256: string;
  contentType: string;
  /** Write-once evidence: the object cannot be deleted or replaced before this date. */
  retainUntil?: Date;
}

export interface PutOptions {
  contentType?: string;
}

export interface PutIfAbsentOptions extends PutOptions {
  /**
   * The SHA-256 the caller says the bytes have. Checked after the bytes are read and before the
   * object becomes visible, so bytes that do not match are never stored (BlobHashMismatchError).
   */
  expectSha256?: string;
  /**
   * Evidence: the object is locked until this date — the local store makes it read-only and refuses
   * delete and overwrite, S3 puts it under Object Lock COMPLIANCE retention (nobody can shorten it).
   */
  retainUntil?: Date;
}

/** What {@link BlobStore.putIfAbsent} did. */
export interface PutIfAbsentResult {
  /** created: these bytes are now the object; exists: the key was already taken and nothing was written. */
  outcome: 'created' | 'exists';
  /**
   * The object at the key afterwards: the new one, or the earlier one as the store recorded it.
   * Undefined only when the key is taken by an object whose record does not match its bytes.
   */
  stored: BlobInfo | undefined;
  /** The bytes this call offered, hashed as they were read. */
  offered: { size: number; sha256: string };
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
  /**
   * Write-once: stores the bytes only when no object has the key, atomically (two concurrent
   * calls cannot both create it, and an existing object is never overwritten, whatever it holds).
   */
  abstract putIfAbsent(key: string, body: Readable | Buffer, opts?: PutIfAbsentOptions): Promise<PutIfAbsentResult>;
  /** Undefined when the object does not exist. */
  abstract stat(key: string): Promise<BlobInfo | undefined>;
  /** Reads the object (or the inclusive range). Throws BlobNotFoundError when absent. */
  abstract read(key: string, range?: ByteRange): Promise<Readable>;
  /**
   * Idempotent: deleting an absent object is not an error. An object under retention (see
   * PutIfAbsentOptions.retainUntil) is refused with BlobRetainedError until its date has passed.
   */
  abstract delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with the prefix (a lesson's old rendition); refused when one is retained. */
  abstract deletePrefix(prefix: string): Promise<number>;
  /** A round trip proving the store is usable, for /health. */
  abstract check(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
  }
}

/** Deleting or replacing an object before its retain-until date; nothing was changed. */
export class BlobRetainedError extends Error {
  constructor(
    readonly key: string,
    readonly retainUntil: Date,
  ) {
    super(`blob ${key} is retained until ${retainUntil.toISOString()}`);
  }
}

/** The bytes offered to putIfAbsent are not the ones the caller declared; nothing was stored. */
export class BlobHashMismatchError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`blob ${key}: bytes hash to ${actual}, expected ${expected}`);
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
