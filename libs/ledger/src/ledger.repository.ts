import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AuditEntry, AuditTx, contentHash } from '@app/audit';
import { ScopeColumns, scopeFilter, TenantScope } from '@app/identity';
import { isValidObjectId, Model, Types } from 'mongoose';
import {
  AppendResult,
  HourTotals,
  LEDGER_SOURCES,
  LedgerEntry,
  LedgerSource,
  NewCreditEntry,
} from './ledger-entry.entity';
import { LedgerEntryDoc } from './ledger-entry.schema';
import { ledgerError } from './ledger.errors';

type Lean = LedgerEntryDoc & { _id: Types.ObjectId };
type NewEntry = Omit<LedgerEntry, 'id' | 'createdAt'>;

const hex = (id: Types.ObjectId | undefined) => id?.toHexString();

function toEntry(doc: Lean): LedgerEntry {
  return {
    id: doc._id.toHexString(),
    idempotencyKey: doc.idempotencyKey,
    traineeId: doc.traineeId.toHexString(),
    programId: doc.programId.toHexString(),
    institutionId: doc.institutionId.toHexString(),
    regionCode: doc.regionCode,
    userId: hex(doc.userId),
    source: doc.source,
    kind: doc.kind,
    courseId: hex(doc.courseId),
    lessonId: hex(doc.lessonId),
    seconds: doc.seconds,
    intervals: doc.intervals?.map(([s, e]) => [s, e] as const),
    sessionId: doc.sessionId,
    evidence: doc.evidence ?? [],
    compensates: hex(doc.compensates),
    reason: doc.reason,
    by: doc.by,
    occurredAt: doc.occurredAt,
    createdAt: doc.createdAt,
  };
}

function oid(field: string, value: string): Types.ObjectId {
  if (!isValidObjectId(value) || !/^[0-9a-f]{24}$/i.test(value)) throw ledgerError('LEDGER_ENTRY_INVALID', { field });
  return new Types.ObjectId(value);
}

/** What the driver would store as null: absent, as mongoose leaves an unset optional path. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const optionalOid = (field: string, value: string | undefined) => (value === undefined ? undefined : oid(field, value));

function checkCredit(e: NewCreditEntry): void {
  const bad = (field: string) => ledgerError('LEDGER_ENTRY_INVALID', { field });
  if (typeof e.idempotencyKey !== 'string' || e.idempotencyKey.trim() === '' || e.idempotencyKey.length > 200) throw bad('idempotencyKey');
  if (!(LEDGER_SOURCES as readonly string[]).includes(e.source)) throw bad('source');
  if (!Number.isSafeInteger(e.seconds) || e.seconds <= 0) throw bad('seconds');
  if (!/^\d{6}$/.test(e.regionCode)) throw bad('regionCode');
  if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime())) throw bad('occurredAt');
  if (typeof e.by !== 'string' || e.by.trim() === '') throw bad('by');
  if (e.intervals) {
    let sum = 0;
    for (const [s, end] of e.intervals) {
      if (!Number.isSafeInteger(s) || !Number.isSafeInteger(end) || s < 0 || end <= s) throw bad('intervals');
      sum += end - s;
    }
    // The seconds are the sum of the intervals; a mismatch means a caller bug, not something to store.
    if (sum !== e.seconds) throw bad('intervals');
  }
}

/** The audit records' target type for hour-ledger entries. */
export const LEDGER_TARGET = 'ledger-entry';

/**
 * SHA-256 of an entry's canonical form as stored. Its audit record carries it, so the hash chain
 * vouches for the entry: editing, deleting or inserting one directly in the database is found by
 * verify (the documents' 虚增培训时长 done by editing the data).
 */
export function ledgerEntryDigest(e: LedgerEntry): string {
  return contentHash(e);
}

function auditEntryOf(e: LedgerEntry): AuditEntry {
  return {
    action: e.kind === 'credit' ? 'ledger.credit' : e.seconds > 0 ? 'ledger.restore' : 'ledger.compensate',
    target: { type: LEDGER_TARGET, id: e.id },
    tenant: { institutionId: e.institutionId, regionCode: e.regionCode },
    after: { traineeId: e.traineeId, programId: e.programId, source: e.source, seconds: e.seconds, lessonId: e.lessonId, sessionId: e.sessionId, compensates: e.compensates },
    reason: e.reason,
    digest: ledgerEntryDigest(e),
  };
}

/** Whether a retried write is the same write, so the first one may stand in for it. */
function sameWrite(a: LedgerEntry, b: NewEntry): boolean {
  return (
    a.traineeId === b.traineeId &&
    a.programId === b.programId &&
    a.kind === b.kind &&
    a.source === b.source &&
    a.seconds === b.seconds &&
    a.courseId === b.courseId &&
    a.lessonId === b.lessonId &&
    a.compensates === b.compensates
  );
}

/** A credit counts unless compensated, and counts again when that compensation was itself restored. */
function liveCredit(id: string, docs: readonly Lean[]): boolean {
  const undoing = (target: string) => docs.filter((d) => d.compensates?.toHexString() === target);
  return undoing(id).every((c) => undoing(c._id.toHexString()).length > 0);
}

/** Institutions see their trainees' hours, auditors their region's, trainees their own. */
const LEDGER_SCOPE_COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', user: 'userId', ids: 'objectId' };

const tenant = (scope: TenantScope) => scopeFilter(scope, LEDGER_SCOPE_COLUMNS);

export const compensationKey = (entryId: string) => `compensation:${entryId}`;
export const restorationKey = (compensationId: string) => `restoration:${compensationId}`;

const emptyBySource = (): Record<LedgerSource, number> => ({ online: 0, offline: 0, practical: 0 });

/**
 * The hour ledger: append-only. Writes are idempotent by key; nothing is ever updated or deleted,
 * a wrong credit is undone by a compensating entry that names it and says why. Writes happen only
 * inside an audit commit (they take its {@link AuditTx}) and record themselves with their digest;
 * use cases outside another commit go through {@link LedgerBook}.
 */
@Injectable()
export class LedgerRepository implements OnModuleInit {
  constructor(@InjectModel(LedgerEntryDoc.name) private readonly model: Model<LedgerEntryDoc>) {}

  /** Idempotency rests on the unique index: the app must not take writes before it exists. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /** Writes a credit once per idempotency key, in the caller's commit; a retry returns the first entry and records nothing. */
  async append(tx: AuditTx, entry: NewCreditEntry): Promise<AppendResult> {
    checkCredit(entry);
    return this.insertOnce(tx, {
      ...entry,
      kind: 'credit',
      evidence: entry.evidence ?? [],
    });
  }

  /**
   * Undoes a credit by appending its negation, at most once per entry (the key is derived from
   * the entry id, so two auditors compensating at once still produce one compensation). The entry
   * is looked up within `scope`: one outside it is not found, so nobody undoes hours they cannot see.
   */
  async compensate(tx: AuditTx, scope: TenantScope, entryId: string, reason: string, by: string, at: Date = new Date()): Promise<AppendResult> {
    if (typeof reason !== 'string' || reason.trim() === '') throw ledgerError('COMPENSATION_REASON_REQUIRED');
    if (typeof by !== 'string' || by.trim() === '') throw ledgerError('LEDGER_ENTRY_INVALID', { field: 'by' });
    if (!isValidObjectId(entryId)) throw ledgerError('LEDGER_ENTRY_NOT_FOUND', { entryId });
    const doc = await this.model.findOne({ _id: new Types.ObjectId(entryId), ...tenant(scope) }).lean<Lean>();
    if (!doc) throw ledgerError('LEDGER_ENTRY_NOT_FOUND', { entryId });
    const original = toEntry(doc);
    if (original.kind === 'compensation') throw ledgerError('CANNOT_COMPENSATE_COMPENSATION', { entryId });
    return this.insertOnce(tx, {
      idempotencyKey: compensationKey(original.id),
      traineeId: original.traineeId,
      programId: original.programId,
      institutionId: original.institutionId,
      regionCode: original.regionCode,
      userId: original.userId,
      source: original.source,
      kind: 'compensation',
      courseId: original.courseId,
      lessonId: original.lessonId,
      seconds: -original.seconds,
      sessionId: original.sessionId,
      evidence: [],
      compensates: original.id,
      reason: reason.trim(),
      by,
      occurredAt: at,
    });
  }

  /**
   * Undoes a compensation (a void reversed or an appeal upheld) by appending its negation — a
   * compensating entry of the compensation, with positive seconds — once per compensation. `links`
   * name what decided it (the void, the appeal) and are kept as the entry's evidence. Only a
   * compensation can be restored, and a restoration is never undone again.
   */
  async restore(tx: AuditTx, scope: TenantScope, compensationId: string, reason: string, by: string, links: readonly string[] = [], at: Date = new Date()): Promise<AppendResult> {
    if (typeof reason !== 'string' || reason.trim() === '') throw ledgerError('COMPENSATION_REASON_REQUIRED');
    if (typeof by !== 'string' || by.trim() === '') throw ledgerError('LEDGER_ENTRY_INVALID', { field: 'by' });
    if (!isValidObjectId(compensationId)) throw ledgerError('LEDGER_ENTRY_NOT_FOUND', { entryId: compensationId });
    const doc = await this.model.findOne({ _id: new Types.ObjectId(compensationId), ...tenant(scope) }).lean<Lean>();
    if (!doc) throw ledgerError('LEDGER_ENTRY_NOT_FOUND', { entryId: compensationId });
    const comp = toEntry(doc);
    if (comp.kind !== 'compensation' || comp.seconds >= 0) throw ledgerError('NOT_A_COMPENSATION', { entryId: compensationId });
    return this.insertOnce(tx, {
      ...comp,
      idempotencyKey: restorationKey(comp.id),
      seconds: -comp.seconds,
      evidence: [...links],
      compensates: comp.id,
      reason: reason.trim(),
      by,
      occurredAt: at,
    });
  }

  /** The entry written under an idempotency key, if any: how a retry outside a transaction finds the first write. */
  async findByKey(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    const doc = await this.model.findOne({ idempotencyKey }).lean<Lean>();
    return doc ? toEntry(doc) : undefined;
  }

  /** The credit written under `c`'s key, if any; the key used for a different write is refused. */
  async findCredit(c: NewCreditEntry): Promise<LedgerEntry | undefined> {
    const first = await this.findByKey(c.idempotencyKey);
    if (first && !sameWrite(first, { ...c, kind: 'credit', evidence: c.evidence ?? [] })) throw ledgerError('IDEMPOTENCY_KEY_REUSED', { idempotencyKey: c.idempotencyKey });
    return first;
  }

  /** Every entry with its digest as stored now: what verify compares with the records. */
  async *digests(): AsyncIterable<{ id: string; digest: string }> {
    for await (const doc of this.model.find({}).lean<Lean>().cursor({ batchSize: 5000 })) {
      const entry = toEntry(doc as unknown as Lean);
      yield { id: entry.id, digest: ledgerEntryDigest(entry) };
    }
  }

  /**
   * Inside a transaction a duplicate key aborts it, so the first write is looked for before
   * inserting; two commits racing on one key make the loser's commit fail with the duplicate
   * key error, and {@link LedgerBook} retries it into this path.
   */
  private async insertOnce(tx: AuditTx, entry: NewEntry): Promise<AppendResult> {
    const doc: Lean = withoutUndefined({
      _id: new Types.ObjectId(),
      ...entry,
      traineeId: oid('traineeId', entry.traineeId),
      programId: oid('programId', entry.programId),
      institutionId: oid('institutionId', entry.institutionId),
      userId: optionalOid('userId', entry.userId),
      courseId: optionalOid('courseId', entry.courseId),
      lessonId: optionalOid('lessonId', entry.lessonId),
      compensates: optionalOid('compensates', entry.compensates),
      intervals: entry.intervals?.map(([s, e]) => [s, e]),
      evidence: [...entry.evidence],
      createdAt: new Date(),
    });
    // One round trip for the common case (a new key), on the driver: every settlement pays this, and a
    // lookup first plus mongoose's document machinery cost more than the write itself. The fields are
    // checked above (checkCredit, oid); the unique index still decides between two concurrent writers.
    const { idempotencyKey, ...insert } = doc;
    const res = await this.model.collection.updateOne({ idempotencyKey }, { $setOnInsert: insert }, { upsert: true, session: tx.session });
    if (res.upsertedCount === 0) {
      const existing = await this.model.collection.findOne({ idempotencyKey }, { session: tx.session });
      const first = toEntry(existing as unknown as Lean);
      if (!sameWrite(first, entry)) throw ledgerError('IDEMPOTENCY_KEY_REUSED', { idempotencyKey: entry.idempotencyKey });
      return { entry: first, created: false };
    }
    const written = toEntry(doc);
    tx.record(auditEntryOf(written));
    return { entry: written, created: true };
  }

  async findById(scope: TenantScope, id: string): Promise<LedgerEntry | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findOne({ _id: new Types.ObjectId(id), ...tenant(scope) }).lean<Lean>();
    return doc ? toEntry(doc) : undefined;
  }

  async listForTrainee(scope: TenantScope, traineeId: string, programId?: string): Promise<LedgerEntry[]> {
    const filter: Record<string, unknown> = { ...tenant(scope), traineeId: oid('traineeId', traineeId) };
    if (programId !== undefined) filter.programId = oid('programId', programId);
    const docs = await this.model.find(filter).sort({ occurredAt: 1, _id: 1 }).lean<Lean[]>();
    return docs.map(toEntry);
  }

  /** A trainee's hours from the ledger: total, per source and per course (compensations included). */
  async totalsForTrainee(scope: TenantScope, traineeId: string, programId?: string): Promise<HourTotals> {
    const match: Record<string, unknown> = { ...tenant(scope), traineeId: oid('traineeId', traineeId) };
    if (programId !== undefined) match.programId = oid('programId', programId);
    const rows = await this.model.aggregate<{ _id: { source: LedgerSource; courseId?: Types.ObjectId | null }; seconds: number }>([
      { $match: match },
      { $group: { _id: { source: '$source', courseId: '$courseId' }, seconds: { $sum: '$seconds' } } },
    ]);
    const bySource = emptyBySource();
    const byCourse: { courseId: string; source: LedgerSource; seconds: number }[] = [];
    let seconds = 0;
    for (const row of rows) {
      seconds += row.seconds;
      bySource[row._id.source] += row.seconds;
      if (row._id.courseId) byCourse.push({ courseId: row._id.courseId.toHexString(), source: row._id.source, seconds: row.seconds });
    }
    byCourse.sort((a, b) => a.courseId.localeCompare(b.courseId) || a.source.localeCompare(b.source));
    return { seconds, bySource, byCourse };
  }

  /** Per-trainee totals of a program, for institution and auditor overviews. */
  async totalsByTrainee(
    scope: TenantScope,
    programId: string,
  ): Promise<{ traineeId: string; seconds: number; bySource: Record<LedgerSource, number> }[]> {
    const rows = await this.model.aggregate<{ _id: { traineeId: Types.ObjectId; source: LedgerSource }; seconds: number }>([
      { $match: { ...tenant(scope), programId: oid('programId', programId) } },
      { $group: { _id: { traineeId: '$traineeId', source: '$source' }, seconds: { $sum: '$seconds' } } },
    ]);
    const byTrainee = new Map<string, { traineeId: string; seconds: number; bySource: Record<LedgerSource, number> }>();
    for (const row of rows) {
      const id = row._id.traineeId.toHexString();
      const t = byTrainee.get(id) ?? { traineeId: id, seconds: 0, bySource: emptyBySource() };
      t.seconds += row.seconds;
      t.bySource[row._id.source] += row.seconds;
      byTrainee.set(id, t);
    }
    return [...byTrainee.values()].sort((a, b) => a.traineeId.localeCompare(b.traineeId));
  }

  /**
   * Trainees with an entry written at or after `since` (ObjectId order is not commit order across
   * processes, so callers read back from a time with some slack), with their newest entry's time.
   */
  async traineesChangedSince(since: Date, limit = 10_000): Promise<{ traineeId: string; latest: Date }[]> {
    const rows = await this.model.aggregate<{ _id: Types.ObjectId; latest: Date }>([
      { $match: { createdAt: { $gte: since } } },
      { $group: { _id: '$traineeId', latest: { $max: '$createdAt' } } },
      { $sort: { latest: 1 } },
      { $limit: limit },
    ]);
    return rows.map((r) => ({ traineeId: r._id.toHexString(), latest: r.latest }));
  }

  /** Every entry of some trainees at once (the platform's own read for judging them in bulk). */
  async listForTrainees(scope: TenantScope, traineeIds: readonly string[]): Promise<LedgerEntry[]> {
    const docs = await this.model.find({ ...tenant(scope), traineeId: { $in: traineeIds.map((id) => oid('traineeId', id)) } }).lean<Lean[]>();
    return docs.map(toEntry);
  }

  /**
   * The lesson seconds a trainee holds from online credits that were not compensated: what a new
   * study session starts from, so each second is earned once across sessions.
   */
  async creditedLessonIntervals(scope: TenantScope, traineeId: string, lessonId: string): Promise<[number, number][]> {
    const docs = await this.model
      .find({ ...tenant(scope), traineeId: oid('traineeId', traineeId), lessonId: oid('lessonId', lessonId) })
      .lean<Lean[]>();
    const out: [number, number][] = [];
    for (const d of docs) {
      if (d.kind === 'credit' && liveCredit(d._id.toHexString(), docs)) out.push(...(d.intervals ?? []).map(([s, e]) => [s, e] as [number, number]));
    }
    return out.sort((a, b) => a[0] - b[0]);
  }
}
