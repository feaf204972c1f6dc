import * as fs from 'node:fs';
import * as path from 'node:path';
import { open } from 'lmdb';

/** The lmdb environment file the server keeps under its dbPath. */
export const DATA_FILE = 'data.mdb';

/**
 * Copies the database under `dbPath` to `toFile` as one consistent snapshot while a server may be
 * serving it: lmdb's copy (`mdb_env_copy2`) reads inside one read transaction, so writers go on and
 * the copy holds exactly the commits before it began. Works from another process — lmdb's lock
 * file coordinates readers across processes. Compacted: free pages are left out.
 */
export async function snapshotDatabase(dbPath: string, toFile: string): Promise<void> {
  const source = path.join(dbPath, DATA_FILE);
  if (!fs.existsSync(source)) throw new Error(`没有数据库文件 (no database at ${source})`);
  fs.mkdirSync(path.dirname(toFile), { recursive: true });
  fs.rmSync(toFile, { force: true });
  // Same options as the server's open: lmdb refuses a second handle with fewer named databases.
  const env = open({ path: source, maxDbs: 8, maxReaders: 1024 });
  try {
    await env.backup(toFile, true);
  } finally {
    await env.close();
  }
}
