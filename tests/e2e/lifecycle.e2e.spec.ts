import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { readDemoLogins } from '@app/identity';
import { freePort, startApiProcess } from '../support/process';
import { activate, call, login } from '../support/auth-client';

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
    // The face engine loads its models in the background and then names its backend
    // (wasm here, where @tensorflow/tfjs-node cannot install).
    let face = health.info.face;
    for (let i = 0; i < 120 && face.state !== 'ready'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      face = (await (await fetch(`${first.baseUrl}/health`)).json()).info.face;
    }
    expect(face).toMatchObject({ status: 'up', state: 'ready', backend: expect.stringMatching(/^(wasm|tensorflow)$/) });
    expect(first.output()).toContain('EMBEDDED default database');
    const seeded = await counts();
    expect(seeded.programs).toBe(5);
    expect(seeded.organisations).toBeGreaterThanOrEqual(21);
    expect(seeded.seedRuns).toBe(1);
    const initial = readDemoLogins(join(dataDir, 'demo-logins.txt')).find((l) => l.username === 'admin')!.password;
    expect(first.output()).toContain(`演示账号 (demo logins)`);
    expect(first.output()).toContain(initial);

    // Writes through the API: the admin's forced password change, then a new enterprise.
    const admin = await activate(first.baseUrl, 'admin', initial);
    const enterprise = { kind: 'enterprise', name: '重启检验机械有限公司', uscc: '91350100M000100Y43', regionCode: '370300', industry: '机械制造' };
    expect((await call(first.baseUrl, 'POST', '/api/v1/organisations', { token: admin.accessToken, body: enterprise })).status).toBe(201);
    const written = { ...seeded, organisations: seeded.organisations + 1 };
    expect(await counts()).toEqual(written);

    const stillThere = async (baseUrl: string) => {
      expect((await login(baseUrl, 'admin', initial)).status).toBe(401);
      const again = await login(baseUrl, 'admin', admin.password);
      expect(again.status).toBe(200);
      const list = await call(baseUrl, 'GET', '/api/v1/organisations?kind=enterprise', { token: again.body.accessToken });
      expect(JSON.stringify(list.body)).toContain('重启检验机械有限公司');
      expect(await counts()).toEqual(written);
    };

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startApiProcess(env);
    await stillThere(second.baseUrl);
    // The demo logins are shown again although nothing was seeded.
    expect(second.output()).toContain('演示数据已存在');
    expect(second.output()).toContain(initial);
    second.child.kill('SIGKILL');
    await second.exited;

    // The embedded server must not outlive its API (it would hold the port and the data).
    const third = await startApiProcess(env);
    await stillThere(third.baseUrl);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 180_000);
});
