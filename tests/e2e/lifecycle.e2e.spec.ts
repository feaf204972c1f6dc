import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort, startApiProcess } from '../support/process';

/**
 * The platform as `npm start` runs it: embedded database in a child process, data under
 * DATA_DIR, seeded on first start. Stopping it (gracefully or not) loses nothing and
 * never seeds twice.
 */
describe('API process lifecycle on the embedded database', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gsyf-life-'));
    env = {
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function counts(): Promise<{ programs: number; organisations: number; seedRuns: number }> {
    const client = await MongoClient.connect(`mongodb://127.0.0.1:${env.EMBEDDED_DB_PORT}/?directConnection=true`);
    try {
      const db = client.db('gsyf');
      return {
        programs: await db.collection('programs').countDocuments(),
        organisations: await db.collection('organisations').countDocuments(),
        seedRuns: await db.collection('platform_seed_runs').countDocuments(),
      };
    } finally {
      await client.close();
    }
  }

  it('starts embedded, seeds once, and survives SIGTERM and kill -9', async () => {
    const first = await startApiProcess(env);
    const health = await (await fetch(`${first.baseUrl}/health`)).json();
    expect(health.info.database.mode).toBe('embedded');
    expect(first.output()).toContain('EMBEDDED default database');
    const seeded = await counts();
    expect(seeded.programs).toBe(5);
    expect(seeded.organisations).toBeGreaterThanOrEqual(21);
    expect(seeded.seedRuns).toBe(1);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startApiProcess(env);
    expect(await counts()).toEqual(seeded);
    second.child.kill('SIGKILL');
    await second.exited;

    // The embedded server must not outlive its API (it would hold the port and the data).
    const third = await startApiProcess(env);
    expect(await counts()).toEqual(seeded);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 180_000);
});
