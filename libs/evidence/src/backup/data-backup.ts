import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { snapshotDatabase } from '@app/embedded-mongo';

/**
 * Backup and restore of the embedded default: the lmdb database, the local blob store and the
 * development secrets at the top of the data directory (the audit checkpoint key among them —
 * without it the restored chain's checkpoints would not verify).
 *
 * Order matters for consistency: the database snapshot is taken first, then the blobs. Blobs are
 * written once and stored before the record that names them commits, so every blob the snapshot
 * refers to is already there when the blob pass runs; blobs newer than the snapshot are extra, harmless.
 *
 * Layout of DIR: `db/data.mdb`, `objects/<sha256>` (content-addressed, so a second backup into the
 * same DIR copies only new content), `files/<name>`, and `manifest.json` with every SHA-256.
 */
export interface BackupManifest {
  version: 1;
  createdAt: string;
  db: { file: string; size: number; sha256: string };
  /** Top-level files of the data directory (secrets), by name. */
  files: { name: string; size: number; sha256: string }[];
  /** Blob store objects: key → content hash, with the store's metadata sidecar as it was. */
  blobs: { key: string; size: number; sha256: string; sidecar: string }[];
}

export interface BackupPaths {
  dataDir: string;
  dbPath: string;
  blobDir: string;
}

export interface BackupReport {
  dir: string;
  blobs: number;
  copied: number;
  skipped: number;
  bytesCopied: number;
}

const MANIFEST = 'manifest.json';
const DB_FILE = 'db/data.mdb';
const SIDECAR = '.meta.json';
/** The blob store's spool for writes in progress: never an object. */
const BLOB_TMP = '.tmp';

export class BackupError extends Error {}

async function sha256Of(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

/** Copies src to dest through a temporary name, hashing on the way; the rename makes it appear whole. */
async function copyHashed(src: string, dest: string): Promise<{ sha256: string; size: number }> {
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${randomBytes(6).toString('hex')}.part`;
  const h = createHash('sha256');
  let size = 0;
  const source = createReadStream(src);
  source.on('data', (c) => {
    h.update(c as Buffer);
    size += (c as Buffer).length;
  });
  await pipeline(source, createWriteStream(tmp, { flags: 'wx' }));
  const fh = await fs.open(tmp, 'r+');
  await fh.sync();
  await fh.close();
  await fs.rename(tmp, dest);
  return { sha256: h.digest('hex'), size };
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/** Object files of the local blob store (those with a sidecar; an object without one is not stored yet). */
async function blobKeys(root: string, rel = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const names = new Set(entries.map((e) => e.name));
  const keys: string[] = [];
  for (const e of entries) {
    const key = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!rel && e.name === BLOB_TMP) continue;
      keys.push(...(await blobKeys(root, key)));
    } else if (e.isFile() && !e.name.endsWith(SIDECAR) && names.has(e.name + SIDECAR)) {
      keys.push(key);
    }
  }
  return keys;
}

export async function backupDataDir(paths: BackupPaths, dir: string): Promise<BackupReport> {
  dir = path.resolve(dir);
  await fs.mkdir(path.join(dir, 'objects'), { recursive: true });
  const dbTmp = path.join(dir, `db/.data.mdb.${randomBytes(6).toString('hex')}`);
  await snapshotDatabase(paths.dbPath, dbTmp);
  await fs.rename(dbTmp, path.join(dir, DB_FILE));
  const db = { file: DB_FILE, ...(await sha256Of(path.join(dir, DB_FILE))) };

  const files: BackupManifest['files'] = [];
  for (const e of await fs.readdir(paths.dataDir, { withFileTypes: true })) {
    if (e.isFile()) files.push({ name: e.name, ...(await copyHashed(path.join(paths.dataDir, e.name), path.join(dir, 'files', e.name))) });
  }

  const report: BackupReport = { dir, blobs: 0, copied: 0, skipped: 0, bytesCopied: 0 };
  const blobs: BackupManifest['blobs'] = [];
  for (const key of await blobKeys(paths.blobDir)) {
    const file = path.join(paths.blobDir, ...key.split('/'));
    const sidecar = await fs.readFile(file + SIDECAR, 'utf8');
    const recorded = (JSON.parse(sidecar) as { sha256?: string }).sha256;
    report.blobs++;
    if (recorded && (await exists(path.join(dir, 'objects', recorded)))) {
      const { size } = await fs.stat(file);
      blobs.push({ key, size, sha256: recorded, sidecar });
      report.skipped++;
      continue;
    }
    // Named by what was read, not by what the sidecar claims: a rotted object keeps its own hash
    // and the restored store's integrity sweep reports it, as the original's would have.
    const tmpDest = path.join(dir, 'objects', `.incoming-${randomBytes(6).toString('hex')}`);
    const got = await copyHashed(file, tmpDest);
    await fs.rename(tmpDest, path.join(dir, 'objects', got.sha256));
    blobs.push({ key, ...got, sidecar });
    report.copied++;
    report.bytesCopied += got.size;
  }
  const manifest: BackupManifest = { version: 1, createdAt: new Date().toISOString(), db, files, blobs };
  const tmp = path.join(dir, `${MANIFEST}.part`);
  await fs.writeFile(tmp, JSON.stringify(manifest, null, 1));
  await fs.rename(tmp, path.join(dir, MANIFEST));
  return report;
}

async function readManifest(dir: string): Promise<BackupManifest> {
  let m: BackupManifest;
  try {
    m = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as BackupManifest;
  } catch (e) {
    throw new BackupError(`备份清单不可读 (cannot read ${MANIFEST}): ${(e as Error).message}`);
  }
  if (m.version !== 1) throw new BackupError(`不支持的备份版本 (unsupported manifest version ${String(m.version)})`);
  return m;
}

/** Every file the manifest names, re-hashed; the list of what does not match (empty: intact). */
export async function verifyBackup(dir: string): Promise<string[]> {
  const m = await readManifest(dir);
  const wants: [string, string][] = [
    [path.join(dir, m.db.file), m.db.sha256],
    ...m.files.map((f): [string, string] => [path.join(dir, 'files', f.name), f.sha256]),
    ...[...new Set(m.blobs.map((b) => b.sha256))].map((s): [string, string] => [path.join(dir, 'objects', s), s]),
  ];
  const problems: string[] = [];
  for (const [file, sha256] of wants) {
    if (!(await exists(file))) problems.push(`缺少 (missing): ${path.relative(dir, file)}`);
    else if ((await sha256Of(file)).sha256 !== sha256) problems.push(`哈希不符 (hash mismatch): ${path.relative(dir, file)}`);
  }
  return problems;
}

async function isEmptyDir(p: string): Promise<boolean> {
  try {
    return (await fs.readdir(p)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/**
 * Restores DIR into the data directory. Refuses a data directory with anything in it unless
 * `force` (then the database and blob store there are replaced), and refuses a backup whose files
 * do not match the manifest — before it writes anything.
 */
export async function restoreDataDir(paths: BackupPaths, dir: string, opts: { force?: boolean } = {}): Promise<{ blobs: number }> {
  dir = path.resolve(dir);
  const m = await readManifest(dir);
  const problems = await verifyBackup(dir);
  if (problems.length) throw new BackupError(`备份已损坏，未恢复 (backup damaged, nothing restored):\n  ${problems.join('\n  ')}`);
  const targets = [paths.dataDir, paths.dbPath, paths.blobDir];
  const occupied = [];
  for (const t of targets) if (!(await isEmptyDir(t))) occupied.push(t);
  if (occupied.length && !opts.force) throw new BackupError(`目标目录非空，加 --force 覆盖 (target not empty; pass --force): ${paths.dataDir}`);
  if (opts.force) {
    // Retained objects are read-only files; removing them needs only the directory to be writable.
    await fs.rm(paths.dbPath, { recursive: true, force: true });
    await fs.rm(paths.blobDir, { recursive: true, force: true });
  }
  await fs.mkdir(paths.dbPath, { recursive: true });
  await copyHashed(path.join(dir, m.db.file), path.join(paths.dbPath, 'data.mdb'));
  for (const f of m.files) {
    const dest = path.join(paths.dataDir, f.name);
    await fs.rm(dest, { force: true });
    await copyHashed(path.join(dir, 'files', f.name), dest);
    // Secrets were 0600 when made; keep them so.
    await fs.chmod(dest, 0o600);
  }
  for (const b of m.blobs) {
    const dest = path.join(paths.blobDir, ...b.key.split('/'));
    await copyHashed(path.join(dir, 'objects', b.sha256), dest);
    await fs.writeFile(dest + SIDECAR, b.sidecar, { flag: 'wx' });
    // Evidence under retention is read-only in the store (write once); restore it so.
    if ((JSON.parse(b.sidecar) as { retainUntil?: string }).retainUntil) {
      await fs.chmod(dest, 0o444);
      await fs.chmod(dest + SIDECAR, 0o444);
    }
  }
  return { blobs: m.blobs.length };
}
