// Medium test: the real repository against a real database (embedded, or MONGODB_URI when set).
import { generateKeyPairSync } from 'node:crypto';
import { AuditActor, AuditChainStore, AuditTrail, AUDIT_LOG, signingKeyFrom } from '@app/audit';
import { AppError, systemClock } from '@app/platform';
import { systemScope, TenantScope } from '@app/identity';
import mongoose, { Connection, Types } from 'mongoose';
import { testDatabase, TestDatabase } from '../../../tests/support/db';
import { scopes } from '../../../tests/support/scopes';
import type { NewCreditEntry } from './ledger-entry.entity';
import { LedgerEntryDoc, LedgerEntrySchema } from './ledger-entry.schema';
import { LedgerBook } from './ledger-book';
import { LEDGER_TARGET, LedgerRepository } from './ledger.repository';

const ALL = systemScope('账本测试：读取全部分录');
const id = () => new Types.ObjectId().toHexString();

let db: TestDatabase;
let conn: Connection;
let repo: LedgerRepository;
let trail: AuditTrail;
let chain: AuditChainStore;
let book: LedgerBook;
const SYSTEM: AuditActor = { kind: 'system', reason: '账本测试' };
const auditor = (id: string): AuditActor => ({ kind: 'user', id, role: 'auditor' });

beforeAll(async () => {
  db = await testDatabase('ledger');
  conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  const model = conn.model(LedgerEntryDoc.name, LedgerEntrySchema);
  repo = new LedgerRepository(model);
  // As Nest does at start-up: the unique index exists before the concurrency tests race on it.
  await repo.onModuleInit();
  trail = new AuditTrail(conn, { writer: 'test', partitions: 4, clock: systemClock });
  await trail.init();
  chain = new AuditChainStore(conn, signingKeyFrom(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), systemClock);
  book = new LedgerBook(repo, trail, chain);
  book.onModuleInit();
});

afterAll(async () => {
  await conn?.close();
  await db?.stop();
});

/** Each test gets its own trainee and institution, so nothing needs truncating. */
function newTrainee(regionCode = '230702') {
  const owner = { traineeId: id(), programId: id(), institutionId: id(), regionCode, userId: id() };
  let n = 0;
  const credit = (over: Partial<NewCreditEntry> = {}): NewCreditEntry => ({
    ...owner,
    idempotencyKey: `k-${owner.traineeId}-${n++}`,
    source: 'online',
    courseId: id(),
    lessonId: id(),
    seconds: 15,
    sessionId: 's1',
    evidence: ['capture:1'],
    by: 'system',
    occurredAt: new Date('2026-11-24T10:00:00Z'),
    ...over,
  });
  return { owner, credit };
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return undefined;
}

describe('LedgerRepository (real database)', () => {
  it('has the unique idempotency index in the database', async () => {
    const indexes = await conn.collection('hour_ledger').indexes();
    expect(indexes.find((i) => i.key.idempotencyKey === 1)?.unique).toBe(true);
  });

  it('appends a credit and reads it back as a plain object', async () => {
    const t = newTrainee();
    const { entry, created } = await book.credit(SYSTEM, t.credit({ intervals: [[0, 10], [20, 25]] }));
    expect(created).toBe(true);
    expect(entry).toMatchObject({ kind: 'credit', seconds: 15, source: 'online', traineeId: t.owner.traineeId, evidence: ['capture:1'] });
    expect(entry.intervals).toEqual([[0, 10], [20, 25]]);
    const read = await repo.findById(ALL, entry.id);
    expect(read).toEqual(entry);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
  });

  it('a retried write with the same key returns the first entry and counts once', async () => {
    const t = newTrainee();
    const c = t.credit();
    const first = await book.credit(SYSTEM, c);
    const again = await book.credit(SYSTEM, c);
    expect(again).toEqual({ entry: first.entry, created: false });
    expect((await repo.totalsForTrainee(ALL, t.owner.traineeId)).seconds).toBe(15);
  });

  it('concurrent retries of one key produce exactly one entry', async () => {
    const t = newTrainee();
    const c = t.credit({ seconds: 14 });
    const results = await Promise.all(Array.from({ length: 12 }, () => book.credit(SYSTEM, c)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect(await repo.listForTrainee(ALL, t.owner.traineeId)).toHaveLength(1);
    expect((await repo.totalsForTrainee(ALL, t.owner.traineeId)).seconds).toBe(14);
  });

  it('the same key for a different write is refused, not silently merged', async () => {
    const t = newTrainee();
    const c = t.credit();
    await book.credit(SYSTEM, c);
    expect(await code(book.credit(SYSTEM, { ...c, seconds: 30 }))).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it.each([
    ['zero seconds', { seconds: 0 }],
    ['fractional seconds', { seconds: 1.5 }],
    ['empty key', { idempotencyKey: ' ' }],
    ['unknown source', { source: 'tv' as NewCreditEntry['source'] }],
    ['bad trainee id', { traineeId: 'nope' }],
    ['bad region', { regionCode: '23' }],
    ['intervals not matching seconds', { intervals: [[0, 10]] as [number, number][] }],
    ['invalid date', { occurredAt: new Date('x') }],
  ])('refuses a malformed credit (%s) with LEDGER_ENTRY_INVALID', async (_name, over) => {
    const t = newTrainee();
    expect(await code(book.credit(SYSTEM, t.credit(over)))).toBe('LEDGER_ENTRY_INVALID');
    expect(await repo.listForTrainee(ALL, t.owner.traineeId)).toEqual([]);
  });

  it('compensation appends a negative entry once, with its reason, and the totals follow', async () => {
    const t = newTrainee();
    const a = await book.credit(SYSTEM, t.credit({ seconds: 600, intervals: [[0, 600]] }));
    await book.credit(SYSTEM, t.credit({ seconds: 300, lessonId: a.entry.lessonId, courseId: a.entry.courseId, intervals: [[600, 900]] }));
    const [c1, c2] = await Promise.all([book.compensate(auditor('auditor-1'), ALL, a.entry.id, '代学：人脸不符'), book.compensate(auditor('auditor-1'), ALL, a.entry.id, '代学：人脸不符')]);
    expect([c1.created, c2.created].filter(Boolean)).toHaveLength(1);
    expect(c1.entry).toMatchObject({ kind: 'compensation', seconds: -600, compensates: a.entry.id, reason: '代学：人脸不符', by: 'auditor-1' });
    expect((await repo.totalsForTrainee(ALL, t.owner.traineeId)).seconds).toBe(300);
    // The original is still there: append-only.
    expect(await repo.findById(ALL, a.entry.id)).toEqual(a.entry);
    expect(await repo.creditedLessonIntervals(ALL, t.owner.traineeId, a.entry.lessonId!)).toEqual([[600, 900]]);
  });

  it('compensation refuses: no reason, unknown entry, compensating a compensation', async () => {
    const t = newTrainee();
    const a = await book.credit(SYSTEM, t.credit());
    expect(await code(book.compensate(auditor('x'), ALL, a.entry.id, '  '))).toBe('COMPENSATION_REASON_REQUIRED');
    expect(await code(book.compensate(auditor('x'), ALL, id(), '原因'))).toBe('LEDGER_ENTRY_NOT_FOUND');
    expect(await code(book.compensate(auditor('x'), ALL, 'garbage', '原因'))).toBe('LEDGER_ENTRY_NOT_FOUND');
    const c = await book.compensate(auditor('x'), ALL, a.entry.id, '原因');
    expect(await code(book.compensate(auditor('x'), ALL, c.entry.id, '原因'))).toBe('CANNOT_COMPENSATE_COMPENSATION');
  });

  it('restoring a compensation appends its negation once, linked, and the credit counts again', async () => {
    const t = newTrainee();
    const a = await book.credit(SYSTEM, t.credit({ seconds: 600, intervals: [[0, 600]] }));
    const c = await book.compensate(auditor('auditor-1'), ALL, a.entry.id, '代学');
    const [r1, r2] = await Promise.all([book.restore(auditor('auditor-2'), ALL, c.entry.id, '申诉成立', ['oversight-void:v1']), book.restore(auditor('auditor-2'), ALL, c.entry.id, '申诉成立', ['oversight-void:v1'])]);
    expect([r1.created, r2.created].filter(Boolean)).toHaveLength(1);
    expect(r1.entry).toMatchObject({ kind: 'compensation', seconds: 600, compensates: c.entry.id, evidence: ['oversight-void:v1'], by: 'auditor-2' });
    expect((await repo.totalsForTrainee(ALL, t.owner.traineeId)).seconds).toBe(600);
    expect(await repo.creditedLessonIntervals(ALL, t.owner.traineeId, a.entry.lessonId!)).toEqual([[0, 600]]);
    expect(await code(book.restore(auditor('x'), ALL, a.entry.id, '原因'))).toBe('NOT_A_COMPENSATION');
    expect(await code(book.restore(auditor('x'), ALL, r1.entry.id, '原因'))).toBe('NOT_A_COMPENSATION');
  });

  it('totals per source and course, and per trainee of a program', async () => {
    const t = newTrainee();
    const courseA = id();
    const courseB = id();
    await book.credit(SYSTEM, t.credit({ courseId: courseA, seconds: 100 }));
    await book.credit(SYSTEM, t.credit({ courseId: courseA, seconds: 50 }));
    await book.credit(SYSTEM, t.credit({ courseId: courseB, seconds: 70 }));
    await book.credit(SYSTEM, t.credit({ courseId: undefined, lessonId: undefined, source: 'offline', seconds: 3600 }));
    await book.credit(SYSTEM, t.credit({ courseId: undefined, lessonId: undefined, source: 'practical', seconds: 1800 }));
    const totals = await repo.totalsForTrainee(ALL, t.owner.traineeId, t.owner.programId);
    expect(totals.seconds).toBe(5620);
    expect(totals.bySource).toEqual({ online: 220, offline: 3600, practical: 1800 });
    expect(totals.byCourse).toEqual(
      [
        { courseId: courseA, source: 'online', seconds: 150 },
        { courseId: courseB, source: 'online', seconds: 70 },
      ].sort((x, y) => x.courseId.localeCompare(y.courseId)),
    );
    const other = newTrainee();
    await book.credit(SYSTEM, { ...other.credit({ seconds: 40 }), programId: t.owner.programId });
    const perTrainee = await repo.totalsByTrainee(ALL, t.owner.programId);
    expect(perTrainee).toHaveLength(2);
    expect(perTrainee.find((x) => x.traineeId === t.owner.traineeId)?.seconds).toBe(5620);
    expect(perTrainee.find((x) => x.traineeId === other.owner.traineeId)?.bySource.online).toBe(40);
  });

  it('reads are confined to the tenant scope', async () => {
    const t = newTrainee('230702');
    const { entry } = await book.credit(SYSTEM, t.credit({ seconds: 10 }));
    const trainee = t.owner.traineeId;
    const seen = async (scope: TenantScope) => (await repo.totalsForTrainee(scope, trainee)).seconds;
    expect(await seen(scopes.trainee(t.owner.userId))).toBe(10);
    expect(await seen(scopes.trainee(id()))).toBe(0);
    expect(await seen(scopes.institution(t.owner.institutionId, '230702'))).toBe(10);
    expect(await seen(scopes.institution(id(), '230702'))).toBe(0);
    expect(await seen(scopes.auditor('230700'))).toBe(10);
    expect(await seen(scopes.auditor('370000'))).toBe(0);
    expect(await repo.findById(scopes.auditor('370000'), entry.id)).toBeUndefined();
    expect(await repo.listForTrainee(scopes.trainee(id()), trainee)).toEqual([]);
  });

  it('compensation finds the entry only within the scope: nobody undoes hours they cannot see', async () => {
    const t = newTrainee('230702');
    const { entry } = await book.credit(SYSTEM, t.credit({ seconds: 120 }));
    expect(await code(book.compensate(auditor('auditor-37'), scopes.auditor('370000'), entry.id, '代学'))).toBe('LEDGER_ENTRY_NOT_FOUND');
    expect(await code(book.compensate({ kind: 'user', id: 'other-institution', role: 'institution' }, scopes.institution(id(), '230702'), entry.id, '代学'))).toBe('LEDGER_ENTRY_NOT_FOUND');
    expect((await repo.totalsForTrainee(ALL, t.owner.traineeId)).seconds).toBe(120);
    const done = await book.compensate(auditor('auditor-2307'), scopes.auditor('230700'), entry.id, '代学');
    expect(done.entry).toMatchObject({ kind: 'compensation', seconds: -120, compensates: entry.id, by: 'auditor-2307' });
    expect((await repo.totalsForTrainee(ALL, t.owner.traineeId)).seconds).toBe(0);
  });

  it('every entry is written with its audit record, which carries the entry digest; a retry records nothing', async () => {
    const t = newTrainee();
    const c = t.credit({ seconds: 45 });
    const { entry } = await book.credit(SYSTEM, c);
    await book.credit(SYSTEM, c);
    const records = await conn.collection(AUDIT_LOG).find({ 'target.type': LEDGER_TARGET, 'target.id': entry.id }).toArray();
    expect(records).toEqual([expect.objectContaining({ action: 'ledger.credit', digest: expect.stringMatching(/^[0-9a-f]{64}$/), tenant: { institutionId: t.owner.institutionId, regionCode: '230702' } })]);
    expect(records[0].after).toMatchObject({ seconds: 45, traineeId: t.owner.traineeId });
    const comp = await book.compensate(auditor('auditor-9'), ALL, entry.id, '代学：人脸不符');
    const compRecord = await conn.collection(AUDIT_LOG).findOne({ 'target.id': comp.entry.id });
    expect(compRecord).toMatchObject({ action: 'ledger.compensate', reason: '代学：人脸不符', actor: { kind: 'user', id: 'auditor-9', role: 'auditor' } });
  });

  it('an entry whose audit record cannot be written is not written either', async () => {
    const t = newTrainee();
    const c = t.credit();
    await expect(
      trail.commit(SYSTEM, async (tx) => {
        await repo.append(tx, c);
        tx.record({ action: 'not a code', target: { type: 'x', id: 'y' }, tenant: {} });
      }),
    ).rejects.toThrow(TypeError);
    expect(await repo.findByKey(c.idempotencyKey)).toBeUndefined();
  });

  describe('verify vouches for the ledger through the records’ digests', () => {
    const ledger = () => conn.collection('hour_ledger');
    const problemsFor = async (entryId: string) => (await chain.verify()).problems.filter((p) => p.target?.id === entryId);

    it('an untouched ledger verifies', async () => {
      const t = newTrainee();
      await book.credit(SYSTEM, t.credit());
      const report = await chain.verify();
      expect(report.problems).toEqual([]);
      expect(report.targets).toBeGreaterThan(0);
    });

    it('inflated seconds are found as an edit of that entry', async () => {
      const t = newTrainee();
      const { entry } = await book.credit(SYSTEM, t.credit({ seconds: 15 }));
      await ledger().updateOne({ _id: new Types.ObjectId(entry.id) }, { $set: { seconds: 1500 } });
      expect(await problemsFor(entry.id)).toEqual([expect.objectContaining({ kind: 'edited', target: { type: LEDGER_TARGET, id: entry.id } })]);
      await ledger().updateOne({ _id: new Types.ObjectId(entry.id) }, { $set: { seconds: 15 } });
      expect(await problemsFor(entry.id)).toEqual([]);
    });

    it('a deleted entry (say a compensation removed to restore hours) is found as removed', async () => {
      const t = newTrainee();
      const { entry } = await book.credit(SYSTEM, t.credit());
      const comp = await book.compensate(auditor('auditor-1'), ALL, entry.id, '代学');
      const doc = await ledger().findOne({ _id: new Types.ObjectId(comp.entry.id) });
      await ledger().deleteOne({ _id: doc!._id });
      expect(await problemsFor(comp.entry.id)).toEqual([expect.objectContaining({ kind: 'removed' })]);
      await ledger().insertOne(doc!);
      expect(await problemsFor(comp.entry.id)).toEqual([]);
    });

    it('an entry written straight into the database is found as inserted', async () => {
      const t = newTrainee();
      const { entry } = await book.credit(SYSTEM, t.credit());
      const forged = { ...(await ledger().findOne({ _id: new Types.ObjectId(entry.id) }))!, _id: new Types.ObjectId(), idempotencyKey: `forged-${entry.id}`, seconds: 3600 };
      await ledger().insertOne(forged);
      expect(await problemsFor(forged._id.toHexString())).toEqual([expect.objectContaining({ kind: 'inserted' })]);
      await ledger().deleteOne({ _id: forged._id });
    });
  });
});
