// Medium test: records against the real database and the local blob store, with the audit chain's verify.
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AuditActor, AuditChainStore, AuditTrail, AUDIT_LOG, signingKeyFrom } from '@app/audit';
import { AppError, systemClock } from '@app/platform';
import { systemScope } from '@app/identity';
import { BlobRetainedError, LocalBlobStore } from '@app/storage';
import mongoose, { Connection, Types } from 'mongoose';
import { testDatabase, TestDatabase } from '../../../../tests/support/db';
import { BlobEvidenceStore } from '../blob-evidence-store';
import { DEFAULT_EVIDENCE_SETTINGS } from '../evidence-settings';
import { EVIDENCE_TARGET, EvidenceRecordRepository } from './evidence-record.repository';
import { EvidenceRecordDoc, EvidenceRecordSchema } from './evidence-record.schema';
import { EvidenceDigests, EvidenceRecords } from './evidence-records';

const ALL = systemScope('证据记录测试');
const SYSTEM: AuditActor = { kind: 'system', reason: '证据记录测试' };
const auditor: AuditActor = { kind: 'user', id: new Types.ObjectId().toHexString(), role: 'auditor' };
const oid = () => new Types.ObjectId().toHexString();
const codeOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof AppError ? e.code : String(e)));

let db: TestDatabase;
let conn: Connection;
let root: string;
let blobs: LocalBlobStore;
let store: BlobEvidenceStore;
let trail: AuditTrail;
let chain: AuditChainStore;
let records: EvidenceRecords;

beforeAll(async () => {
  db = await testDatabase('evidence_records');
  conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  const repo = new EvidenceRecordRepository(conn.model(EvidenceRecordDoc.name, EvidenceRecordSchema));
  await repo.onModuleInit();
  root = await fs.mkdtemp(path.join(tmpdir(), 'evidence-records-'));
  blobs = new LocalBlobStore(root);
  store = new BlobEvidenceStore(blobs);
  trail = new AuditTrail(conn, { writer: 'test', partitions: 2, clock: systemClock });
  await trail.init();
  chain = new AuditChainStore(conn, signingKeyFrom(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), systemClock);
  new EvidenceDigests(repo, chain).onModuleInit();
  records = new EvidenceRecords(repo, trail, blobs, DEFAULT_EVIDENCE_SETTINGS, systemClock);
});

afterAll(async () => {
  await conn?.close();
  await db?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

/** Stores bytes the way a writer does (locked until its retention) and records them in a commit of its own. */
async function keep(occurredAt: Date, body = `capture ${oid()}`) {
  const sessionId = oid();
  const ref = await store.put(Buffer.from(body), { key: `offline-captures/${sessionId}/${oid()}.jpg`, contentType: 'image/jpeg', retainUntil: records.retainUntil(occurredAt) });
  const facts = { kind: 'attendance-capture' as const, ref, contentType: 'image/jpeg', ownerId: oid(), institutionId: oid(), regionCode: '230702', sessionId, occurredAt };
  const r = await trail.commit(SYSTEM, (tx) => records.record(tx, facts));
  return { r, facts };
}

describe('EvidenceRecords', () => {
  it('records hash, size, type, owner, tenant, session and retainUntil = 5 years after the session, on the chain with its digest; a replay records nothing', async () => {
    const occurredAt = new Date('2026-12-01T08:00:00Z');
    const { r, facts } = await keep(occurredAt);
    expect(r).toMatchObject({ key: facts.ref.key, sha256: facts.ref.sha256, size: facts.ref.size, contentType: 'image/jpeg', kind: 'attendance-capture', ownerId: facts.ownerId, institutionId: facts.institutionId, regionCode: '230702', sessionId: facts.sessionId, retainUntil: new Date('2031-12-01T08:00:00Z'), status: 'kept' });
    // A replay inside the writer's own commit (which records its own change): the first record, nothing new.
    const replay = await trail.commit(SYSTEM, async (tx) => {
      tx.record({ action: 'test.replay', target: { type: 'test', id: r.id }, tenant: {} });
      return records.record(tx, facts);
    });
    expect(replay).toEqual(r);
    const entries = await conn.collection(AUDIT_LOG).find({ 'target.id': r.id, action: { $ne: 'test.replay' } }).toArray();
    expect(entries).toEqual([expect.objectContaining({ action: 'evidence.record', digest: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(await codeOf(trail.commit(SYSTEM, (tx) => records.record(tx, { ...facts, ref: { ...facts.ref, sha256: 'f'.repeat(64) } })))).toBe('EVIDENCE_CONFLICT');
  });

  it('deleting before retainUntil is refused by the records and by the adapter; a hold refuses it even after', async () => {
    const { r } = await keep(new Date());
    expect(await codeOf(records.dispose(auditor, ALL, r.id, '到期'))).toBe('EVIDENCE_RETAINED');
    await expect(blobs.delete(r.key)).rejects.toBeInstanceOf(BlobRetainedError);
    expect(await blobs.stat(r.key)).toBeDefined();

    const old = await keep(new Date('2019-01-01T00:00:00Z'));
    expect(await codeOf(records.hold(auditor, ALL, old.r.id, ' '))).toBe('EVIDENCE_HOLD_REASON_REQUIRED');
    const held = await records.hold(auditor, ALL, old.r.id, '稽查调取，暂停销毁');
    expect(held.hold).toMatchObject({ reason: '稽查调取，暂停销毁', by: (auditor as { id: string }).id });
    expect(await codeOf(records.dispose(auditor, ALL, old.r.id, '到期'))).toBe('EVIDENCE_HELD');
    expect((await records.release(auditor, ALL, old.r.id, '稽查结束')).hold).toBeUndefined();
    expect(await codeOf(records.release(auditor, ALL, old.r.id, '再次'))).toBe('EVIDENCE_NOT_HELD');
  });

  it('after its retention, disposal removes the bytes and leaves the record as a tombstone on the chain', async () => {
    const { r } = await keep(new Date('2019-01-01T00:00:00Z'));
    const gone = await records.dispose(auditor, ALL, r.id, '保存期满，依法删除');
    expect(gone).toMatchObject({ status: 'disposed', sha256: r.sha256, retainUntil: new Date('2024-01-01T00:00:00Z'), disposedAt: expect.any(Date) });
    expect(await blobs.stat(r.key)).toBeUndefined();
    const actions = (await conn.collection(AUDIT_LOG).find({ 'target.id': r.id }).sort({ at: 1 }).toArray()).map((e) => [e.action, e.reason]);
    expect(actions).toEqual([['evidence.record', undefined], ['evidence.dispose', '保存期满，依法删除']]);
  });

  it('the chain check finds a removed record and an edited one (a later retainUntil, a changed hash)', async () => {
    const { r } = await keep(new Date());
    const col = conn.collection('evidence_records');
    const problemsFor = async (id: string) => (await chain.verify()).problems.filter((p) => p.target?.id === id);
    expect(await problemsFor(r.id)).toEqual([]);
    await col.updateOne({ _id: new Types.ObjectId(r.id) }, { $set: { sha256: '0'.repeat(64) } });
    expect(await problemsFor(r.id)).toEqual([expect.objectContaining({ kind: 'edited', target: { type: EVIDENCE_TARGET, id: r.id } })]);
    const doc = await col.findOne({ _id: new Types.ObjectId(r.id) });
    await col.deleteOne({ _id: doc!._id });
    expect(await problemsFor(r.id)).toEqual([expect.objectContaining({ kind: 'removed' })]);
    await col.insertOne({ ...doc!, sha256: r.sha256 });
    expect(await problemsFor(r.id)).toEqual([]);
  });
});
