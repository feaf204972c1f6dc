// The API as a real process for upload tests: @tus/server is ESM-only, which Node loads but
// jest's in-process module registry cannot (see TusUploadService).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDemoLogins } from '@app/identity';
import { withDbName } from '@app/platform';
import { testDatabase, TestDatabase } from '../../../tests/support/db';
import { ApiProcess, freePort, startApiProcess } from '../../../tests/support/process';

export interface MediaApp {
  baseUrl: string;
  dataDir: string;
  db: TestDatabase;
  proc: ApiProcess;
  passwords: Map<string, string>;
  stop(): Promise<void>;
}

export async function startMediaApp(name: string, env: Record<string, string> = {}): Promise<MediaApp> {
  const db = await testDatabase(name);
  const dataDir = await mkdtemp(join(tmpdir(), 'gsyf-media-'));
  const port = await freePort();
  let proc: ApiProcess;
  try {
    proc = await startApiProcess({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      MONGODB_URI: withDbName(db.uri, db.dbName),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'always',
      ...env,
    });
  } catch (e) {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  const passwords = new Map(readDemoLogins(join(dataDir, 'demo-logins.txt')).map((l) => [l.username, l.password]));
  return {
    baseUrl: proc.baseUrl,
    dataDir,
    db,
    proc,
    passwords,
    async stop() {
      proc.child.kill('SIGTERM');
      await proc.exited;
      await db.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
