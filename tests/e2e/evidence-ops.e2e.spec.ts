// Operations on the evidence store against the real API process on the embedded database (issue 19
// acceptance): a `kill -9` of the API in the middle of a recording upload loses nothing and lists
// nothing partial, the resumed upload completes with the right hash and one evidence record; and
// backup (taken while the API serves) → wipe the data directory → restore → start again keeps the
// audit chain intact, the evidence sweep clean and the session accepted.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { readDemoLogins } from '@app/identity';
import { tusCreate, tusOffset, tusPatch } from '../../libs/media/test-support/tus-client';
import { activate, call } from '../support/auth-client';
import { addSession, createClass, createInstructor, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';
import { ApiProcess, freePort, startApiProcess } from '../support/process';
import { makeClip, RECORDING_UPLOADS } from '../support/recordings';

jest.setTimeout(240_000);

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Runs one of the repository's TS entry points as `npm run` would, with the test's environment. */
async function tool(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', '@swc-node/register', script, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A PATCH that sends `bytes` and then hangs with the request still open, as an upload in flight does. */
function patchThenHang(base: string, token: string, location: string, bytes: Buffer): Promise<unknown> {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
    },
  });
  return fetch(new URL(location, base), {
    method: 'PATCH',
    headers: { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${token}`, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body,
    duplex: 'half',
  } as RequestInit).catch((e: unknown) => e);
}

describe('evidence operations: kill -9 mid-upload, backup → wipe → restore (e2e)', () => {
  let work: string;
  let dataDir: string;
  let backupDir: string;
  let env: Record<string, string>;
  let api: ApiProcess | undefined;
  let token: string;
  let sessionId: string;
  let clip: Buffer;

  const dbUri = () => `mongodb://127.0.0.1:${env.EMBEDDED_DB_PORT}/?replicaSet=rs0&directConnection=true`;
  async function withDb<T>(f: (db: import('mongodb').Db) => Promise<T>): Promise<T> {
    const client = await MongoClient.connect(dbUri());
    try {
      return await f(client.db('gsyf'));
    } finally {
      await client.close();
    }
  }
  async function stop(signal: NodeJS.Signals): Promise<void> {
    if (!api) return;
    api.child.kill(signal);
    await api.exited;
    api = undefined;
  }
  const recording = () => call(api!.baseUrl, 'GET', `/api/v1/offline/sessions/${sessionId}/recording`, { token });

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(tmpdir(), 'evidence-ops-'));
    dataDir = path.join(work, 'data');
    backupDir = path.join(work, 'backup');
    env = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      EMBEDDED_DB_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      EVIDENCE_MIN_HEIGHT: '120',
      EVIDENCE_MIN_FPS: '5',
      EVIDENCE_FACE_SAMPLE_SECONDS: '10',
    };
    [clip, api] = await Promise.all([makeClip(work, 'full.mp4', 60, { size: '160x120', fps: 5 }), startApiProcess(env)]);
    const password = readDemoLogins(path.join(dataDir, 'demo-logins.txt')).find((l) => l.username === 'yc-institution')!.password;
    token = (await activate(api.baseUrl, 'yc-institution', password)).accessToken;
    const base = api.baseUrl;
    const programId = await ycProgramId(base);
    const enterprise = await ycEnterprise(base, token);
    const traineeId = (await registerTrainee(base, token, programId, enterprise.id, 'team_leader', '备份学员')).id;
    const instructorId = await createInstructor(base, token);
    const classId = await createClass(base, token, programId);
    must('roster', await call(base, 'POST', `/api/v1/offline/classes/${classId}/roster`, { token, body: { traineeId } }));
    const start = Date.now() - 2 * 3600_000;
    sessionId = must('session', await addSession(base, token, classId, { startsAt: iso(start), endsAt: iso(start + 60_000), instructorId, room: '备份教室', reason: '补录' })).body.id;
    must('attendance', await call(base, 'POST', `/api/v1/offline/sessions/${sessionId}/attendance`, { token, body: { traineeId, signInAt: iso(start), signOutAt: iso(start + 60_000), reason: '补登' } }));
  }, 240_000);
  afterAll(async () => {
    await stop('SIGKILL');
    await fs.rm(work, { recursive: true, force: true });
  });

  it('kill -9 of the API mid-upload, restart on the same data directory, resume: the right hash, one evidence record', async () => {
    const created = await tusCreate(api!.baseUrl, token, clip.length, { sessionId, filename: 'full.mp4' }, RECORDING_UPLOADS);
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const half = Math.floor(clip.length / 2);
    const inFlight = patchThenHang(api!.baseUrl, token, location, clip.subarray(0, half));
    // Wait until the server has the half on disk, then kill it with the request still open.
    const deadline = Date.now() + 15_000;
    while ((await tusOffset(api!.baseUrl, token, location).catch(() => 0)) < half && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await stop('SIGKILL');
    await inFlight;

    api = await startApiProcess(env);
    expect(await withDb((db) => db.collection('evidence_records').countDocuments({ sessionId }))).toBe(0);
    const offset = await tusOffset(api.baseUrl, token, location);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(half);
    const done = await tusPatch(api.baseUrl, token, location, offset, clip.subarray(offset));
    expect([done.status, done.headers.get('recording-passed'), done.headers.get('session-accepted')]).toEqual([204, 'true', 'true']);
    const records = await withDb((db) => db.collection('evidence_records').find({ sessionId }).toArray());
    expect(records.map((r) => [r.sha256, r.size])).toEqual([[sha256(clip), clip.length]]);
    expect(must('recording', await recording()).body.files).toEqual([expect.objectContaining({ sha256: sha256(clip), size: clip.length })]);
  });

  it('backup while the API serves, wipe, restore: the audit chain verifies, the sweep is clean, the session still accepted', async () => {
    const backup = await tool('apps/api/src/backup.ts', ['backup', '--to', backupDir], env);
    expect(backup).toMatchObject({ code: 0 });
    expect(JSON.parse(backup.out.trim().split('\n').at(-1)!)).toMatchObject({ copied: expect.any(Number), skipped: 0 });
    const blobs = JSON.parse(backup.out.trim().split('\n').at(-1)!).blobs as number;
    expect(blobs).toBeGreaterThan(0);
    // Incremental: a second backup into the same directory copies no object again.
    const again = await tool('apps/api/src/backup.ts', ['backup', '--to', backupDir], env);
    expect(JSON.parse(again.out.trim().split('\n').at(-1)!)).toMatchObject({ copied: 0, skipped: blobs });
    await stop('SIGTERM');

    // A non-empty target is refused; the wiped one is restored.
    expect((await tool('apps/api/src/backup.ts', ['restore', '--from', backupDir], env)).code).toBe(65);
    await fs.rm(dataDir, { recursive: true, force: true });
    const restored = await tool('apps/api/src/backup.ts', ['restore', '--from', backupDir], env);
    expect(restored).toMatchObject({ code: 0 });

    const verify = await tool('apps/api/src/audit-verify.ts', [], env);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.out.trim().split('\n').at(-1)!)).toMatchObject({ intact: true, records: expect.any(Number) });
    expect(JSON.parse(verify.out.trim().split('\n').at(-1)!).records).toBeGreaterThan(5);

    const restartedAt = Date.now();
    api = await startApiProcess(env);
    const deadline = Date.now() + 30_000;
    let evidence: { lastSweep?: { at: string } | null } | undefined;
    while (!(evidence?.lastSweep && Date.parse(evidence.lastSweep.at) >= restartedAt) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      evidence = (await (await fetch(`${api.baseUrl}/health`)).json()).details?.evidence;
    }
    expect(evidence).toMatchObject({ status: 'up', mismatch: 0, missing: 0, lastSweep: { outcome: 'succeeded', result: { mismatch: 0, missing: 0 } } });
    const r = must('recording after restore', await recording()).body;
    expect(r.session.status).toBe('accepted');
    expect(r.files).toEqual([expect.objectContaining({ sha256: sha256(clip) })]);
  });

  it('restore refuses a backup whose files do not match the manifest', async () => {
    const manifest = JSON.parse(await fs.readFile(path.join(backupDir, 'manifest.json'), 'utf8')) as { blobs: { sha256: string }[] };
    const object = path.join(backupDir, 'objects', manifest.blobs[0].sha256);
    const bytes = await fs.readFile(object);
    bytes[0] ^= 0xff;
    await fs.writeFile(object, bytes);
    const target = { ...env, DATA_DIR: path.join(work, 'elsewhere') };
    const r = await tool('apps/api/src/backup.ts', ['restore', '--from', backupDir], target);
    expect(r.code).toBe(65);
    expect(r.out).toContain('哈希不符');
    await expect(fs.readdir(target.DATA_DIR)).rejects.toThrow();
  });
});
