import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, withDbName } from '@app/platform';
import { createApp } from '../../apps/api/src/bootstrap';
import { testDatabase, TestDatabase } from './db';

export interface TestApp {
  baseUrl: string;
  app: NestExpressApplication;
  db: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The real API on a free loopback port, against this suite's own database (embedded or
 * MONGODB_URI, see ./db), seeded, serving the console when it has been built.
 */
export async function startTestApp(name = 'app', env: Record<string, string> = {}): Promise<TestApp> {
  const db = await testDatabase(name);
  const dataDir = await mkdtemp(join(tmpdir(), 'gsyf-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    MONGODB_URI: withDbName(db.uri, db.dbName),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_ON_START: 'always',
    // Suites that verify faces start the engine on first use; the others never pay for its workers.
    FACE_ENGINE_START: 'lazy',
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    db,
    async stop() {
      await app.close();
      await db.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
