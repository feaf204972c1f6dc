import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, BlobInfo, BlobNotFoundError, BlobStore, ByteRange, PutOptions } from './blob-store';
import { HashingCounter } from './hashing';

const TMP = '.tmp';
const META_SUFFIX = '.meta.json';

interface Meta {
  size: number;
  sha256: string;
  contentType: string;
}

/**
 * Files under one root directory. Each object is written to `.tmp/` (same filesystem), fsynced,
 * and renamed into place; its metadata (SHA-256, size, type) is a sidecar renamed first, so an
 * object file without its sidecar is never visible — `stat` and `read` treat it as absent.
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

  async put(key: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<BlobInfo> {
    const final = this.pathOf(key);
    const tmpDir = path.join(this.root, TMP);
    await fs.mkdir(tmpDir, { recursive: true });
    await fs.mkdir(path.dirname(final), { recursive: true });
    const tmp = path.join(tmpDir, randomBytes(12).toString('hex'));
    const counter = new HashingCounter();
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      const out = createWriteStream(tmp, { flags: 'wx', mode: 0o640 });
      await pipeline(source, counter, out);
      const fh = await fs.open(tmp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      const meta: Meta = { size: counter.size, sha256: counter.digest(), contentType: opts.contentType ?? 'application/octet-stream' };
      const metaTmp = `${tmp}${META_SUFFIX}`;
      await fs.writeFile(metaTmp, JSON.stringify(meta));
      // Drop any previous object first so old bytes never pair with new metadata.
      await fs.rm(final, { force: true });
      await fs.rename(metaTmp, final + META_SUFFIX);
      await fs.rename(tmp, final);
      return { key, ...meta };
    } catch (e) {
      await fs.rm(tmp, { force: true });
      await fs.rm(`${tmp}${META_SUFFIX}`, { force: true });
      throw e;
    }
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    const file = this.pathOf(key);
    try {
      const [meta, st] = await Promise.all([fs.readFile(file + META_SUFFIX, 'utf8'), fs.stat(file)]);
      const m = JSON.parse(meta) as Meta;
      // A sidecar whose object is missing or of another size belongs to an interrupted write.
      if (st.size !== m.size) return undefined;
      return { key, ...m };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    if (!(await this.stat(key))) throw new BlobNotFoundError(key);
    return createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.rm(file, { force: true });
    await fs.rm(file + META_SUFFIX, { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dir = this.pathOf(prefix.replace(/\/+$/, ''));
    let count: number;
    try {
      const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
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
