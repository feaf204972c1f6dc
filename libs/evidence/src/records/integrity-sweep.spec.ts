// Medium test: the integrity sweep and disposition against the real database and the local blob store.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AuditActor, AuditTrail, AUDIT_LOG } from '@app/audit';
import { systemScope } from '@app/identity';
import { systemClock } from '@app/platform';
import { LocalBlobStore } from '@app/storage';
import mongoose, { Connection, Types } from 'mongoose';
import { testDatabase, TestDatabase } from '../../../../tests/support/db';
import { BlobEvidenceStore } from '../blob-evidence-store';
import { DEFAULT_EVIDENCE_SETTINGS } from '../evidence-settings';
import { EvidenceRecordRepository } from './evidence-record.repository';
import { EvidenceRecordDoc, EvidenceRecordSchema } from './evidence-record.schema';
import { EvidenceRecords } from './evidence-records';
import { IntegritySweep } from './integrity-sweep';
import { ExpireEvidence } from './expiry';

const SYSTEM: AuditActor = { kind: 'system', reason: '证据巡检测试' };
const oid = () => new Types.ObjectId().toHexString();

let db: TestDatabase;
let conn: Connection;
let root: string;
let repo: EvidenceRecordRepository;
let store: BlobEvidenceStore;
let trail: AuditTrail;
let records: EvidenceRecords;

beforeAll(async () => {
  db = await testDatabase('evidence_sweep');
  conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  repo = new EvidenceRecordRepository(conn.model(EvidenceRecordDoc.name, EvidenceRecordSchema));
  await repo.onModuleInit();
  root = await fs.mkdtemp(path.join(tmpdir(), 'evidence-sweep-'));
  const blobs = new LocalBlobStore(root);
  store = new BlobEvidenceStore(blobs);
  trail = new AuditTrail(conn, { writer: 'test', partitions: 2, clock: systemClock });
  await trail.init();
  records = new EvidenceRecords(repo, trail, blobs, DEFAULT_EVIDENCE_SETTINGS, systemClock);
});

afterAll(async () => {
  await conn?.close();
  await db?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

async function keep(bytes: Buffer) {
  const sessionId = oid();
  const occurredAt = new Date();
  const ref = await store.put(bytes, { key: `recordings/${sessionId}/${oid()}.mp4`, contentType: 'video/mp4', retainUntil: records.retainUntil(occurredAt) });
  return trail.commit(SYSTEM, (tx) => records.record(tx, { kind: 'recording', ref, contentType: 'video/mp4', institutionId: oid(), regionCode: '230702', sessionId, occurredAt }));
}

const writable = async (file: string) => fs.chmod(file, 0o644).catch(() => undefined);

it('finds a flipped byte and a removed object, notes every verification, audits each finding once, and keeps to its rate', async () => {
  const size = 512 * 1024;
  const [good, flipped, removed] = [await keep(Buffer.alloc(size, 1)), await keep(Buffer.alloc(size, 2)), await keep(Buffer.alloc(size, 3))];
  const file = path.join(root, flipped.key);
  await writable(file);
  const fh = await fs.open(file, 'r+');
  await fh.write(Buffer.from([0xff]), 0, 1, 4096);
  await fh.close();
  await fs.rm(path.join(root, removed.key), { force: true });

  const sleeps: number[] = [];
  const sweep = new IntegritySweep(repo, store, trail, systemClock, async (ms) => void sleeps.push(ms));
  const before = Date.now();
  expect(await sweep.run(1)).toEqual({ checked: 3, bytes: 3 * size, mismatch: 1, missing: 1 });
  const integrity = async (id: string) => (await conn.collection('evidence_records').findOne({ _id: new Types.ObjectId(id) }))!;
  expect((await integrity(good.id)).integrity).toBe('ok');
  expect((await integrity(flipped.id)).integrity).toBe('mismatch');
  expect((await integrity(removed.id)).integrity).toBe('missing');
  expect((await integrity(good.id)).lastVerifiedAt.getTime()).toBeGreaterThanOrEqual(before);
  expect(await repo.countProblems()).toEqual({ mismatch: 1, missing: 1 });
  // 1.5 MB at 1 MB/s: the sweep asked to wait until 1.5 s after it began (less the real time it took).
  expect(Math.max(...sleeps)).toBeGreaterThan(1000);
  expect(Math.max(...sleeps)).toBeLessThanOrEqual(1500);

  const audited = () => conn.collection(AUDIT_LOG).find({ action: { $in: ['evidence.integrity-mismatch', 'evidence.integrity-missing'] } }).toArray();
  expect((await audited()).map((a) => [a.action, a.target.id]).sort()).toEqual([['evidence.integrity-mismatch', flipped.id], ['evidence.integrity-missing', removed.id]].sort());
  // The next pass sees the same findings and raises nothing new.
  expect(await new IntegritySweep(repo, store, trail, systemClock, async () => undefined).run(1000)).toEqual({ checked: 3, bytes: 3 * size, mismatch: 1, missing: 1 });
  expect(await audited()).toHaveLength(2);
});

it('expiry disposes of what has expired without a hold, and nothing before its retainUntil or under a hold', async () => {
  const ALL = systemScope('证据处置测试');
  const old = new Date(Date.now() - 6 * 365 * 86_400_000);
  const keepAt = async (occurredAt: Date, fill: number) => {
    const sessionId = oid();
    const ref = await store.put(Buffer.alloc(1024, fill), { key: `recordings/${sessionId}/${oid()}.mp4`, contentType: 'video/mp4', retainUntil: records.retainUntil(occurredAt) });
    return trail.commit(SYSTEM, (tx) => records.record(tx, { kind: 'recording', ref, contentType: 'video/mp4', institutionId: oid(), regionCode: '230702', sessionId, occurredAt }));
  };
  const [expired, held, current] = [await keepAt(old, 7), await keepAt(old, 8), await keepAt(new Date(), 9)];
  await records.hold({ kind: 'user', id: oid(), role: 'auditor' }, ALL, held.id, '涉嫌虚假培训，立案核查');
  const expiry = new ExpireEvidence(repo, records, systemClock, ALL);
  expect(await expiry.run()).toEqual({ disposed: 1 });
  const status = async (id: string) => (await conn.collection('evidence_records').findOne({ _id: new Types.ObjectId(id) }))!.status;
  expect([await status(expired.id), await status(held.id), await status(current.id)]).toEqual(['disposed', 'kept', 'kept']);
  await expect(fs.access(path.join(root, expired.key))).rejects.toThrow();
  await expect(fs.access(path.join(root, current.key))).resolves.toBeUndefined();
  await expect(fs.access(path.join(root, held.key))).resolves.toBeUndefined();
  expect(await conn.collection(AUDIT_LOG).countDocuments({ action: 'evidence.dispose', 'target.id': expired.id })).toBe(1);
  expect(await expiry.run()).toEqual({ disposed: 0 });
});
