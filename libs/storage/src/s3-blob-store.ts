import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidKey,
  BlobHashMismatchError,
  BlobInfo,
  BlobNotFoundError,
  BlobRetainedError,
  BlobStore,
  ByteRange,
  PutIfAbsentOptions,
  PutIfAbsentResult,
  PutOptions,
} from './blob-store';
import { HashingCounter } from './hashing';

export interface S3BlobStoreOptions {
  bucket: string;
  prefix: string;
  /** Local directory where a streamed write is spooled (and hashed) before its single PUT. */
  spoolDir: string;
}

const isNotFound = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404;
};

const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** How often a conditional PUT is retried when S3 answers 409 (another conditional write to the key in flight). */
const CONDITIONAL_CONFLICT_RETRIES = 3;

/**
 * S3 (or a compatible store). A PUT is atomic on S3 — an object appears whole or not at all — so
 * atomicity comes for free; the body is spooled to local disk first because the SHA-256 must be
 * known before the PUT (it is sent as `x-amz-checksum-sha256`, which S3 verifies, and as
 * `x-amz-meta-sha256`, which `stat` reads back). Memory use stays at one stream buffer.
 * `putIfAbsent` is S3's conditional write (`If-None-Match: *`, 412 when the key exists), which the
 * store must support (AWS S3 since 2024-08; check an S3-compatible store before relying on it).
 */
export class S3BlobStore extends BlobStore {
  readonly driver = 's3' as const;

  constructor(
    private readonly client: S3Client,
    private readonly opts: S3BlobStoreOptions,
  ) {
    super();
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.opts.prefix ? `${this.opts.prefix.replace(/\/+$/, '')}/${key}` : key;
  }

  /** Spools the body to local disk, hashing it, and hands the spooled file to `send`; the spool is removed after. */
  private async spooled<T>(body: Readable | Buffer, send: (spool: string, size: number, sha256: string) => Promise<T>): Promise<T> {
    await fs.mkdir(this.opts.spoolDir, { recursive: true });
    const spool = path.join(this.opts.spoolDir, randomBytes(12).toString('hex'));
    const counter = new HashingCounter();
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await pipeline(source, counter, createWriteStream(spool, { flags: 'wx', mode: 0o600 }));
      return await send(spool, counter.size, counter.digest());
    } finally {
      await fs.rm(spool, { force: true });
    }
  }

  private putCommand(Key: string, spool: string, size: number, sha256: string, contentType: string, ifNoneMatch?: '*', retainUntil?: Date): PutObjectCommand {
    return new PutObjectCommand({
      // Evidence: COMPLIANCE mode — not even the root account can delete it or shorten the date.
      ...(retainUntil ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: retainUntil } : {}),
      Bucket: this.opts.bucket,
      Key,
      Body: createReadStream(spool),
      ContentLength: size,
      ContentType: contentType,
      ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      Metadata: { sha256 },
      IfNoneMatch: ifNoneMatch,
    });
  }

  private async putUnchecked(key: string, body: Readable | Buffer, opts: PutOptions): Promise<BlobInfo> {
    const Key = this.objectKey(key);
    const contentType = opts.contentType ?? 'application/octet-stream';
    return this.spooled(body, async (spool, size, sha256) => {
      await this.client.send(this.putCommand(Key, spool, size, sha256, contentType));
      return { key, size, sha256, contentType };
    });
  }

  async putIfAbsent(key: string, body: Readable | Buffer, opts: PutIfAbsentOptions = {}): Promise<PutIfAbsentResult> {
    const Key = this.objectKey(key);
    const contentType = opts.contentType ?? 'application/octet-stream';
    return this.spooled(body, async (spool, size, sha256) => {
      const offered = { size, sha256 };
      if (opts.expectSha256 !== undefined && opts.expectSha256 !== sha256) throw new BlobHashMismatchError(key, opts.expectSha256, sha256);
      // The usual "exists" (the same capture sent again) costs a HEAD instead of an upload that S3
      // refuses; the condition on the PUT still settles a race between two writers.
      const earlier = await this.stat(key);
      if (earlier) return { outcome: 'exists', stored: earlier, offered };
      for (let attempt = 0; ; attempt++) {
        try {
          await this.client.send(this.putCommand(Key, spool, size, sha256, contentType, '*', opts.retainUntil));
          return { outcome: 'created', stored: { key, size, sha256, contentType, ...(opts.retainUntil ? { retainUntil: opts.retainUntil } : {}) }, offered };
        } catch (e) {
          if (statusOf(e) === 412) return { outcome: 'exists', stored: await this.stat(key), offered };
          if (statusOf(e) === 409 && attempt < CONDITIONAL_CONFLICT_RETRIES) continue;
          throw e;
        }
      }
    });
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.objectKey(key) }));
      return {
        key,
        size: head.ContentLength ?? 0,
        sha256: head.Metadata?.sha256 ?? '',
        contentType: head.ContentType ?? 'application/octet-stream',
        ...(head.ObjectLockRetainUntilDate ? { retainUntil: head.ObjectLockRetainUntilDate } : {}),
      };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.opts.bucket,
          Key: this.objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return res.Body as Readable;
    } catch (e) {
      if (isNotFound(e)) throw new BlobNotFoundError(key);
      throw e;
    }
  }

  /** S3 refuses it too (COMPLIANCE mode); refusing first names the date instead of an AccessDenied. */
  private async refuseRetained(key: string): Promise<void> {
    const info = await this.stat(key);
    if (info?.retainUntil && info.retainUntil.getTime() > Date.now()) throw new BlobRetainedError(key, info.retainUntil);
  }

  async put(key: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<BlobInfo> {
    await this.refuseRetained(key);
    return this.putUnchecked(key, body, opts);
  }

  async delete(key: string): Promise<void> {
    await this.refuseRetained(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.objectKey(key) }));
  }

  /** For lesson media; an evidence object under the prefix stays (S3 refuses it under COMPLIANCE retention). */
  async deletePrefix(prefix: string): Promise<number> {
    const Prefix = this.objectKey(prefix.replace(/\/+$/, '')) + '/';
    let deleted = 0;
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix, ContinuationToken }));
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length > 0) {
        await this.client.send(new DeleteObjectsCommand({ Bucket: this.opts.bucket, Delete: { Objects: keys, Quiet: true } }));
        deleted += keys.length;
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return deleted;
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.opts.bucket }));
  }

  /**
   * Evidence relies on Object Lock: a bucket without it would take the retention headers of a PUT
   * and refuse the PUT (or, on some S3-compatible stores, ignore them). Start-up calls this and
   * stops when the bucket has no Object Lock enabled.
   */
  async assertObjectLock(): Promise<void> {
    let enabled: string | undefined;
    try {
      const res = await this.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.opts.bucket }));
      enabled = res.ObjectLockConfiguration?.ObjectLockEnabled;
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name !== 'ObjectLockConfigurationNotFoundError' && statusOf(e) !== 404) throw e;
    }
    if (enabled !== 'Enabled') throw new Error(`S3 bucket ${this.opts.bucket} has no Object Lock enabled: evidence cannot be kept write-once (create the bucket with Object Lock)`);
  }
}
