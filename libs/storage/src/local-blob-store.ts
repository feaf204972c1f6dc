import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
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

const TMP = '.tmp';
const META_SUFFIX = '.meta.json';

interface Meta {
  size: number;
  sha256: string;
  contentType: string;
  /** ISO date: evidence under retention (the file and its sidecar are read-only until then). */
  retainUntil?: string;
}

const READ_ONLY = 0o444;

const infoOf = (key: string, m: Meta): BlobInfo => {
  const { retainUntil, ...rest } = m;
  return retainUntil ? { key, ...rest, retainUntil: new Date(retainUntil) } : { key, ...rest };
};

/**
 * Files under one root directory. Each object is written to `.tmp/` (same filesystem), fsynced,
 * and renamed into place; its metadata (SHA-256, size, type) is a sidecar renamed first, so an
 * object file without its sidecar is never visible — `stat` and `read` treat it as absent.
 * `putIfAbsent` claims the key with `link()`, which fails with EEXIST instead of replacing.
 * Evidence put with a retain-until date is made read-only (file and sidecar), and this adapter
 * refuses to delete or replace it before that date (BlobRetainedError) — the same refusal the
 * evidence records make, one layer down, for anything that holds the store directly.
 */
export class LocalBlobStore extends BlobStore {
  readonly driver = 'local' as const;

  constructor(private readonly root: string) {
    super();
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  /** Writes the bytes to a new file under `.tmp/`, hashed inline and fsynced; removed again on failure. */
  private async spool(body: Readable | Buffer): Promise<{ tmp: string; size: number; sha256: string }> {
    const tmpDir = path.join(this.root, TMP);
    await fs.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomBytes(12).toString('hex'));
    const counter = new HashingCounter();
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await pipeline(source, counter, createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      const fh = await fs.open(tmp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      return { tmp, size: counter.size, sha256: counter.digest() };
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  async put(key: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<BlobInfo> {
    const final = this.pathOf(key);
    await this.refuseRetained(key);
    await fs.mkdir(path.dirname(final), { recursive: true });
    const { tmp, size, sha256 } = await this.spool(body);
    const metaTmp = `${tmp}${META_SUFFIX}`;
    try {
      const meta: Meta = { size, sha256, contentType: opts.contentType ?? 'application/octet-stream' };
      await fs.writeFile(metaTmp, JSON.stringify(meta));
      // Drop any previous object first so old bytes never pair with new metadata.
      await fs.rm(final, { force: true });
      await fs.rename(metaTmp, final + META_SUFFIX);
      await fs.rename(tmp, final);
      return infoOf(key, meta);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      await fs.rm(metaTmp, { force: true });
      throw e;
    }
  }

  async putIfAbsent(key: string, body: Readable | Buffer, opts: PutIfAbsentOptions = {}): Promise<PutIfAbsentResult> {
    const final = this.pathOf(key);
    await fs.mkdir(path.dirname(final), { recursive: true });
    const { tmp, size, sha256 } = await this.spool(body);
    const offered = { size, sha256 };
    const meta: Meta = { size, sha256, contentType: opts.contentType ?? 'application/octet-stream', ...(opts.retainUntil ? { retainUntil: opts.retainUntil.toISOString() } : {}) };
    try {
      if (opts.expectSha256 !== undefined && opts.expectSha256 !== sha256) throw new BlobHashMismatchError(key, opts.expectSha256, sha256);
      try {
        // link() never replaces: of two writers exactly one gets the name, the other EEXIST.
        await fs.link(tmp, final);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        return { outcome: 'exists', stored: await this.recorded(key, final), offered };
      }
      // The object is ours; until its sidecar is in place readers see it as absent.
      await this.writeSidecar(final, meta);
      if (meta.retainUntil) {
        await fs.chmod(final, READ_ONLY);
        await fs.chmod(final + META_SUFFIX, READ_ONLY);
      }
      return { outcome: 'created', stored: infoOf(key, meta), offered };
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  /**
   * Sidecars are moved into place whole, so a reader sees the old one or the new one, never half.
   * `keep`: an existing sidecar wins (link instead of rename).
   */
  private async writeSidecar(final: string, meta: Meta, keep = false): Promise<void> {
    const metaTmp = path.join(this.root, TMP, `${randomBytes(12).toString('hex')}${META_SUFFIX}`);
    try {
      await fs.writeFile(metaTmp, JSON.stringify(meta));
      if (!keep) await fs.rename(metaTmp, final + META_SUFFIX);
      else
        await fs.link(metaTmp, final + META_SUFFIX).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
    } finally {
      await fs.rm(metaTmp, { force: true });
    }
  }

  /**
   * The record of an object another write claimed. Its sidecar can be missing: that write is
   * between its link and its sidecar, or crashed there. The object's bytes are fixed once linked,
   * so the sidecar is then written from them (the same one that write would write, type aside),
   * unless that write's own sidecar lands first.
   * A sidecar that disagrees with its object's size is left alone: undefined.
   */
  private async recorded(key: string, final: string): Promise<BlobInfo | undefined> {
    const seen = await this.stat(key);
    if (seen) return seen;
    const hasSidecar = await fs.access(final + META_SUFFIX).then(
      () => true,
      () => false,
    );
    if (hasSidecar) return this.stat(key);
    const counter = new HashingCounter();
    await pipeline(createReadStream(final), counter, new Writable({ write: (_c, _e, done) => done() }));
    await this.writeSidecar(final, { size: counter.size, sha256: counter.digest(), contentType: 'application/octet-stream' }, true);
    return this.stat(key);
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    const file = this.pathOf(key);
    try {
      const [meta, st] = await Promise.all([fs.readFile(file + META_SUFFIX, 'utf8'), fs.stat(file)]);
      const m = JSON.parse(meta) as Meta;
      // A sidecar whose object is missing or of another size belongs to an interrupted write.
      if (st.size !== m.size) return undefined;
      return infoOf(key, m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    if (!(await this.stat(key))) throw new BlobNotFoundError(key);
    return createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  /** Refuses when the sidecar names a retain-until date still ahead (read straight from the sidecar: a size mismatch does not lift it). */
  private async refuseRetained(key: string, now = Date.now()): Promise<void> {
    let m: Meta;
    try {
      m = JSON.parse(await fs.readFile(this.pathOf(key) + META_SUFFIX, 'utf8')) as Meta;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (m.retainUntil && new Date(m.retainUntil).getTime() > now) throw new BlobRetainedError(key, new Date(m.retainUntil));
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await this.refuseRetained(key);
    await fs.rm(file, { force: true });
    await fs.rm(file + META_SUFFIX, { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dir = this.pathOf(prefix.replace(/\/+$/, ''));
    let count: number;
    try {
      const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
      for (const e of entries.filter((f) => f.isFile() && f.name.endsWith(META_SUFFIX))) {
        const rel = path.relative(this.root, path.join(e.parentPath, e.name.slice(0, -META_SUFFIX.length)));
        await this.refuseRetained(rel.split(path.sep).join('/'));
      }
      count = entries.filter((e) => e.isFile() && !e.name.endsWith(META_SUFFIX)).length;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    await fs.rm(dir, { recursive: true, force: true });
    return count;
  }

  async check(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
  }
}
