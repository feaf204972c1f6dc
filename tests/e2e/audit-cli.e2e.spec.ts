// `npm run audit:verify -- --checkpoint FILE` outside the platform: a log rewritten with
// recomputed hashes passes on its own and is caught against the checkpoint an auditor kept.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { AUDIT_HEADS, AUDIT_LOG, AuditChainStore, AuditTrail, exportCheckpoint, signingKeyFrom } from '@app/audit';
import { systemClock, withDbName } from '@app/platform';
import { testDatabase, TestDatabase } from '../support/db';

jest.setTimeout(120_000);
const run = promisify(execFile);

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await testDatabase('audit-cli');
  dir = await mkdtemp(path.join(tmpdir(), 'audit-cli-'));
});
afterAll(async () => {
  await db?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; lines: string[] }> {
  const root = path.resolve(__dirname, '../..');
  try {
    const { stdout } = await run(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/audit-verify.ts', ...args], { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, lines: stdout.trim().split('\n') };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, lines: `${err.stdout}${err.stderr}`.trim().split('\n') };
  }
}

it('answers intact up to the checkpoint, then finds the rewrite against the exported file', async () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  const env = { MONGODB_URI: withDbName(db.uri, db.dbName), AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n'), DATA_DIR: dir, LOG_LEVEL: 'error' };
  try {
    const trail = new AuditTrail(conn, { writer: 'api', partitions: 2, clock: systemClock });
    await trail.init();
    for (let i = 0; i < 5; i++) {
      await trail.recordRead({ kind: 'user', id: 'u1', role: 'auditor', regionCode: '230700' }, { action: 'trainee.id-number.read', target: { type: 'trainee', id: `t${i}` }, tenant: { regionCode: '230700' } });
    }
    const store = new AuditChainStore(conn, signingKeyFrom(pem), systemClock);
    const file = path.join(dir, 'checkpoint.json');
    await writeFile(file, JSON.stringify(exportCheckpoint(await store.checkpoint(), store)));

    const intact = await cli(env, '--checkpoint', file);
    expect(intact.code).toBe(0);
    expect(intact.lines[0]).toContain('审计日志完整：截至检查点 #1');
    expect(JSON.parse(intact.lines.at(-1)!)).toMatchObject({ intact: true, records: 5, checkpoint: { number: 1 } });

    // Rewrite: change the first record, recompute every hash and the head, drop the platform's checkpoints.
    const { recordHash } = await import('../../libs/audit/src/chain');
    const records = await conn.collection(AUDIT_LOG).find({}).sort({ partition: 1, seq: 1 }).toArray();
    const partition = records[0].partition;
    let prevHash = records[0].prevHash as string;
    for (const r of records.filter((x) => x.partition === partition)) {
      const { _id, seq, hash, ...body } = r;
      void hash;
      const forged = { ...body, prevHash, ...(seq === 1 ? { target: { type: 'trainee', id: 'someone-else' } } : {}) };
      prevHash = recordHash(forged as never);
      await conn.collection(AUDIT_LOG).replaceOne({ _id }, { ...forged, seq, hash: prevHash });
    }
    await conn.collection(AUDIT_HEADS).updateOne({ _id: partition }, { $set: { hash: prevHash } });
    await conn.collection('audit_checkpoints').deleteMany({});

    expect((await cli(env)).code).toBe(0);
    const caught = await cli(env, '--checkpoint', file);
    expect(caught.code).toBe(2);
    const report = JSON.parse(caught.lines.at(-1)!);
    expect(report.intact).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'rewritten', partition, seq: 1, recordId: records[0]._id.toHexString() })]));

    const invalid = path.join(dir, 'not-a-checkpoint.json');
    await writeFile(invalid, '{"v":1}');
    expect(await cli(env, '--checkpoint', invalid)).toMatchObject({ code: 64, lines: [expect.stringContaining('检查点文件无效')] });
  } finally {
    await conn.close();
  }
});
