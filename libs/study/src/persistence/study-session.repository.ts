import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { activeSession } from '@app/audit';
import { isValidObjectId, Model, Types } from 'mongoose';
import { ScopeColumns, scopeFilter, SystemScope, TenantScope } from '@app/identity';
import { isDuplicateKey } from '@app/platform';
import type { Refusal } from '../crediting/refusals';
import type { SessionStatusCode } from '../protocol/study-protocol';
import type { StudySession } from '../session/study-session';
import { StudyCaptureDoc, StudyRefusalDoc } from './study-evidence.schema';
import { StudySessionDoc } from './study-session.schema';

type Lean = StudySessionDoc & { _id: Types.ObjectId };

/** Sessions and captures carry their owner's keys as columns (ownerColumns): every read is confined by them. */
const OWNER_COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', user: 'userId', ids: 'objectId' };
const scoped = (scope: TenantScope) => scopeFilter(scope, OWNER_COLUMNS);
const isId = (id: string) => isValidObjectId(id) && /^[0-9a-f]{24}$/i.test(id);

/** Fields kept as columns (queried, indexed); the rest of the session travels in `state`. */
const COLUMNS = new Set([
  'version',
  'status',
  'endReason',
  'userId',
  'traineeId',
  'programId',
  'institutionId',
  'regionCode',
  'lessonId',
  'courseId',
  'minutesPerHour',
  'device',
  'startedAt',
  'endedAt',
  'lastSeenAt',
]);
const OBJECT_ID_COLUMNS = new Set(['userId', 'traineeId', 'programId', 'institutionId', 'lessonId', 'courseId']);
const DATE_COLUMNS = new Set(['startedAt', 'endedAt', 'lastSeenAt']);

/** Whose and which lesson, as stored columns: every study collection carries them for scoped reads. */
function ownerColumns(s: StudySession) {
  return {
    userId: new Types.ObjectId(s.userId),
    traineeId: new Types.ObjectId(s.traineeId),
    programId: new Types.ObjectId(s.programId),
    institutionId: new Types.ObjectId(s.institutionId),
    regionCode: s.regionCode,
    lessonId: new Types.ObjectId(s.lessonId),
  };
}

/**
 * Every session write passes this: members the rules left undefined are not stored (the driver
 * would write them as null), so a reload gives back exactly what was saved.
 */
const WRITE_OPTIONS = { ignoreUndefined: true } as const;

/** Where and how one session field is stored: a column in its BSON type, or `state.<field>`. Undefined: absent. */
function stored(field: string, value: unknown): [path: string, value: unknown] {
  if (!COLUMNS.has(field)) return [`state.${field}`, value];
  if (value === undefined || value === null) return [field, undefined];
  if (OBJECT_ID_COLUMNS.has(field)) return [field, new Types.ObjectId(value as string)];
  if (DATE_COLUMNS.has(field)) return [field, new Date(value as number)];
  return [field, value];
}

function toDoc(s: StudySession): Record<string, unknown> {
  const doc: Record<string, unknown> = { _id: new Types.ObjectId(s.id) };
  const state: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(s)) {
    if (field === 'id') continue;
    const [path, v] = stored(field, value);
    if (v === undefined) continue;
    if (path.startsWith('state.')) state[field] = v;
    else doc[path] = v;
  }
  doc.state = state;
  return doc;
}

/**
 * The update that turns the stored `prev` into `next`: only fields that differ. The rules never
 * mutate a session, they build a new one sharing what did not change, so identity is the test.
 */
function changes(prev: StudySession, next: StudySession): { $set: Record<string, unknown>; $unset?: Record<string, ''> } {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  const a = prev as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (field === 'id' || a[field] === b[field]) continue;
    const [path, v] = stored(field, b[field]);
    if (v === undefined) $unset[path] = '';
    else $set[path] = v;
  }
  return Object.keys($unset).length ? { $set, $unset } : { $set };
}

function toSession(d: Lean): StudySession {
  return {
    ...(d.state as object),
    id: d._id.toHexString(),
    version: d.version,
    status: d.status as SessionStatusCode,
    endReason: d.endReason ?? undefined,
    userId: d.userId.toHexString(),
    traineeId: d.traineeId.toHexString(),
    programId: d.programId.toHexString(),
    institutionId: d.institutionId.toHexString(),
    regionCode: d.regionCode,
    lessonId: d.lessonId.toHexString(),
    courseId: d.courseId.toHexString(),
    minutesPerHour: d.minutesPerHour,
    device: d.device ?? undefined,
    startedAt: d.startedAt.getTime(),
    endedAt: d.endedAt ? d.endedAt.getTime() : undefined,
    lastSeenAt: d.lastSeenAt.getTime(),
  } as StudySession;
}

function toCapture(d: Record<string, unknown>): CaptureRecord {
  return {
    id: (d._id as Types.ObjectId).toHexString(),
    sessionId: (d.sessionId as Types.ObjectId).toHexString(),
    traineeId: (d.traineeId as Types.ObjectId).toHexString(),
    checkNo: d.checkNo as number,
    reason: d.reason as string,
    at: (d.at as Date).getTime(),
    outcome: d.outcome as string,
    distance: (d.distance as number | null | undefined) ?? null,
    threshold: d.threshold as number | undefined,
    faces: d.faces as number,
    blobKey: d.blobKey as string,
    sha256: d.sha256 as string,
    size: d.size as number,
    contentType: d.contentType as string,
    note: d.note as string | undefined,
    refusedAs: d.refusedAs as string | undefined,
    phash: d.phash as string | undefined,
    replayOf: d.replayOf ? (d.replayOf as Types.ObjectId).toHexString() : undefined,
  };
}

export class SessionVersionConflict extends Error {
  constructor(readonly sessionId: string) {
    super(`study session ${sessionId} changed underneath`);
  }
}

export class ActiveSessionExists extends Error {
  constructor(readonly userId: string) {
    super(`user ${userId} already has an active study session`);
  }
}

export interface NewCapture {
  readonly session: StudySession;
  readonly checkNo: number;
  readonly reason: string;
  readonly at: number;
  readonly outcome: string;
  readonly distance: number | null;
  readonly threshold?: number;
  readonly faces: number;
  readonly blobKey: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: string;
  readonly note?: string;
  readonly phash?: string;
  readonly replayOf?: string;
}

export interface CaptureRecord extends Omit<NewCapture, 'session'> {
  readonly id: string;
  /** Set when the capture did not count (e.g. CHECK_NOT_OUTSTANDING: it arrived as its check closed). */
  readonly refusedAs?: string;
  readonly sessionId: string;
  readonly traineeId: string;
}

export interface RefusalRecord {
  readonly seq: number;
  readonly at: number;
  readonly code: string;
  readonly seconds: number;
}

/** Sessions, captures and refusals: the study context's storage. Nothing else writes these collections. */
@Injectable()
export class StudySessionRepository implements OnModuleInit {
  constructor(
    @InjectModel(StudySessionDoc.name) private readonly sessions: Model<StudySessionDoc>,
    @InjectModel(StudyCaptureDoc.name) private readonly captures: Model<StudyCaptureDoc>,
    @InjectModel(StudyRefusalDoc.name) private readonly refusals: Model<StudyRefusalDoc>,
  ) {}

  /** The one-active-session index is the device lock: no session may open before it exists. */
  async onModuleInit(): Promise<void> {
    await Promise.all([this.sessions.init(), this.captures.init(), this.refusals.init()]);
  }

  /** Raw collection calls do not pick up the audit commit's session by themselves (model calls do): hand it on. */
  private writeOptions() {
    return { ...WRITE_OPTIONS, session: activeSession(this.sessions.db) };
  }

  static newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async insert(s: StudySession): Promise<void> {
    try {
      await this.sessions.collection.insertOne(toDoc(s), this.writeOptions());
    } catch (e) {
      if (isDuplicateKey(e)) throw new ActiveSessionExists(s.userId);
      throw e;
    }
  }

  /**
   * Saves `next` only if nobody saved since `prev` was read (its version), writing only what
   * differs from `prev`; the stored version moves on by one.
   */
  async save(next: StudySession, prev: StudySession): Promise<StudySession> {
    if (next.id !== prev.id) throw new Error(`study session ${next.id} saved over ${prev.id}`);
    const saved = { ...next, version: prev.version + 1 };
    const res = await this.sessions.collection.updateOne({ _id: new Types.ObjectId(prev.id), version: prev.version }, changes(prev, saved), this.writeOptions());
    if (res.matchedCount === 0) throw new SessionVersionConflict(next.id);
    return saved;
  }

  async findById(scope: TenantScope, id: string): Promise<StudySession | undefined> {
    if (!isId(id)) return undefined;
    const d = await this.sessions.collection.findOne({ _id: new Types.ObjectId(id), ...scoped(scope) });
    return d ? toSession(d as unknown as Lean) : undefined;
  }

  async findActiveByUser(scope: TenantScope, userId: string): Promise<StudySession | undefined> {
    const d = await this.sessions.collection.findOne({ ...scoped(scope), userId: new Types.ObjectId(userId), status: 'active' });
    return d ? toSession(d as unknown as Lean) : undefined;
  }

  async hasActive(scope: TenantScope, userId: string, lessonId: string): Promise<boolean> {
    const n = await this.sessions.collection.countDocuments(
      { ...scoped(scope), userId: new Types.ObjectId(userId), status: 'active', lessonId: new Types.ObjectId(lessonId) },
      { limit: 1 },
    );
    return n > 0;
  }

  async listByUser(scope: TenantScope, userId: string, limit: number): Promise<StudySession[]> {
    const docs = await this.sessions.collection.find({ ...scoped(scope), userId: new Types.ObjectId(userId) }).sort({ startedAt: -1 }).limit(limit).toArray();
    return docs.map((d) => toSession(d as unknown as Lean));
  }

  /** A trainee record's sessions, newest first: what staff look at (the index on traineeId, startedAt serves it). */
  async listByTrainee(scope: TenantScope, traineeId: string, limit: number): Promise<StudySession[]> {
    const docs = await this.sessions.collection
      .find({ ...scoped(scope), traineeId: new Types.ObjectId(traineeId) })
      .sort({ startedAt: -1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => toSession(d as unknown as Lean));
  }

  /** Active sessions nobody has heard from since `before`: their clients are gone. Housekeeping, every tenant. */
  async listIdle(_scope: SystemScope, before: number, limit = 200): Promise<StudySession[]> {
    const docs = await this.sessions.collection.find({ status: 'active', lastSeenAt: { $lt: new Date(before) } }).limit(limit).toArray();
    return docs.map((d) => toSession(d as unknown as Lean));
  }

  /** Sessions with a ledger write started but not confirmed (the process died in between). Housekeeping, every tenant. */
  async listFlushing(_scope: SystemScope, limit = 200): Promise<StudySession[]> {
    const docs = await this.sessions.collection.find({ 'state.flushing.no': { $gte: 0 } }).limit(limit).toArray();
    return docs.map((d) => toSession(d as unknown as Lean));
  }

  async recordRefusals(sessionId: string, seq: number, at: number, refusals: readonly Refusal[]): Promise<void> {
    if (refusals.length === 0) return;
    const docs = refusals.map((r) => ({
      sessionId: new Types.ObjectId(sessionId),
      seq,
      at: new Date(at),
      code: r.code,
      seconds: r.seconds,
      ...(r.detail ? { detail: r.detail } : {}),
    }));
    try {
      await this.refusals.collection.insertMany(docs, { ordered: false });
    } catch (e) {
      // The same heartbeat refused twice (a replay of a replay): the first record stands.
      if (!isDuplicateKey(e)) throw e;
    }
  }

  /** Refusal records carry no owner columns: they are read for a session already read within a scope. */
  async refusalsOf(session: StudySession, limit = 2000): Promise<RefusalRecord[]> {
    const docs = await this.refusals.collection.find({ sessionId: new Types.ObjectId(session.id) }).sort({ at: 1, seq: 1 }).limit(limit).toArray();
    return docs.map((d) => ({ seq: d.seq as number, at: (d.at as Date).getTime(), code: d.code as string, seconds: d.seconds as number }));
  }

  async insertCapture(c: NewCapture): Promise<CaptureRecord> {
    const s = c.session;
    const _id = new Types.ObjectId();
    await this.captures.collection.insertOne({
      _id,
      sessionId: new Types.ObjectId(s.id),
      ...ownerColumns(s),
      checkNo: c.checkNo,
      reason: c.reason,
      at: new Date(c.at),
      outcome: c.outcome,
      distance: c.distance,
      threshold: c.threshold,
      faces: c.faces,
      blobKey: c.blobKey,
      sha256: c.sha256,
      size: c.size,
      contentType: c.contentType,
      ...(c.note ? { note: c.note } : {}),
      ...(c.phash ? { phash: c.phash } : {}),
      ...(c.replayOf ? { replayOf: new Types.ObjectId(c.replayOf) } : {}),
      createdAt: new Date(),
    }, this.writeOptions());
    const { session: _s, ...rest } = c;
    return { ...rest, id: _id.toHexString(), sessionId: s.id, traineeId: s.traineeId };
  }

  /**
   * An earlier capture of the trainee (any session) that this image repeats: the same bytes, or a
   * perceptual hash within `maxBits`. Resending one capture for the same check (a lost ack) is no replay.
   */
  async findRepeated(scope: TenantScope, traineeId: string, image: { sha256: string; phash?: string; sessionId: string; checkNo: number }, maxBits: number, distance: (a: string, b: string) => number): Promise<string | undefined> {
    const trainee = new Types.ObjectId(traineeId);
    const notThisCheck = (d: Record<string, unknown>) => !((d.sessionId as Types.ObjectId).toHexString() === image.sessionId && d.checkNo === image.checkNo);
    const same = await this.captures.collection.find({ ...scoped(scope), traineeId: trainee, sha256: image.sha256 }, { projection: { sessionId: 1, checkNo: 1 } }).toArray();
    const exact = same.find(notThisCheck);
    if (exact) return exact._id.toHexString();
    if (!image.phash) return undefined;
    const hashed = await this.captures.collection.find({ ...scoped(scope), traineeId: trainee, phash: { $exists: true } }, { projection: { sessionId: 1, checkNo: 1, phash: 1 } }).toArray();
    const near = hashed.find((d) => notThisCheck(d) && distance(d.phash as string, image.phash!) <= maxBits);
    return near?._id.toHexString();
  }

  /** The capture was judged but did not count (its check had closed meanwhile): said on its record, kept as evidence. */
  async markCaptureRefused(id: string, code: string): Promise<void> {
    await this.captures.collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: { refusedAs: code } }, this.writeOptions());
  }

  async capturesOf(scope: TenantScope, sessionId: string): Promise<CaptureRecord[]> {
    const docs = await this.captures.collection.find({ ...scoped(scope), sessionId: new Types.ObjectId(sessionId) }).sort({ at: 1 }).toArray();
    return docs.map(toCapture);
  }

  async captureById(scope: TenantScope, id: string): Promise<CaptureRecord | undefined> {
    if (!isId(id)) return undefined;
    const d = await this.captures.collection.findOne({ _id: new Types.ObjectId(id), ...scoped(scope) });
    return d ? toCapture(d) : undefined;
  }
}
