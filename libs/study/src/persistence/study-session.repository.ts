import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import type { Refusal } from '../crediting/refusals';
import type { SessionStatusCode } from '../protocol/study-protocol';
import type { StudySession } from '../session/study-session';
import { StudyCaptureDoc, StudyRefusalDoc } from './study-evidence.schema';
import { StudySessionDoc } from './study-session.schema';

type Lean = StudySessionDoc & { _id: Types.ObjectId };

/** Fields kept as columns (queried, indexed); the rest of the session travels in `state`. */
const COLUMNS = [
  'id',
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
] as const;

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

function toDoc(s: StudySession): Omit<Lean, '_id'> & { _id: Types.ObjectId } {
  const state: Record<string, unknown> = { ...s };
  for (const c of COLUMNS) delete state[c];
  return {
    _id: new Types.ObjectId(s.id),
    version: s.version,
    status: s.status,
    endReason: s.endReason,
    ...ownerColumns(s),
    courseId: new Types.ObjectId(s.courseId),
    minutesPerHour: s.minutesPerHour,
    device: s.device,
    startedAt: new Date(s.startedAt),
    endedAt: s.endedAt === undefined ? undefined : new Date(s.endedAt),
    lastSeenAt: new Date(s.lastSeenAt),
    // Stored as-is: the driver keeps undefined out, and the state holds only numbers, strings and arrays.
    state: JSON.parse(JSON.stringify(state)) as Record<string, unknown>,
  };
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
}

export interface CaptureRecord extends Omit<NewCapture, 'session'> {
  readonly id: string;
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

  static newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async insert(s: StudySession): Promise<void> {
    try {
      await this.sessions.collection.insertOne(toDoc(s));
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw new ActiveSessionExists(s.userId);
      throw e;
    }
  }

  /** Saves `next` only if nobody saved since `expectedVersion` was read; the stored version moves on by one. */
  async save(next: StudySession, expectedVersion: number): Promise<StudySession> {
    const saved = { ...next, version: expectedVersion + 1 };
    const { _id, ...fields } = toDoc(saved);
    const unset: Record<string, ''> = {};
    for (const [k, v] of Object.entries(fields)) if (v === undefined) unset[k] = '';
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const res = await this.sessions.collection.updateOne(
      { _id, version: expectedVersion },
      Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set },
    );
    if (res.matchedCount === 0) throw new SessionVersionConflict(next.id);
    return saved;
  }

  async findById(id: string): Promise<StudySession | undefined> {
    if (!isValidObjectId(id) || !/^[0-9a-f]{24}$/i.test(id)) return undefined;
    const d = await this.sessions.collection.findOne({ _id: new Types.ObjectId(id) });
    return d ? toSession(d as unknown as Lean) : undefined;
  }

  async findActiveByUser(userId: string): Promise<StudySession | undefined> {
    const d = await this.sessions.collection.findOne({ userId: new Types.ObjectId(userId), status: 'active' });
    return d ? toSession(d as unknown as Lean) : undefined;
  }

  async hasActive(userId: string, lessonId: string): Promise<boolean> {
    const n = await this.sessions.collection.countDocuments(
      { userId: new Types.ObjectId(userId), status: 'active', lessonId: new Types.ObjectId(lessonId) },
      { limit: 1 },
    );
    return n > 0;
  }

  async listByUser(userId: string, limit: number): Promise<StudySession[]> {
    const docs = await this.sessions.collection.find({ userId: new Types.ObjectId(userId) }).sort({ startedAt: -1 }).limit(limit).toArray();
    return docs.map((d) => toSession(d as unknown as Lean));
  }

  /** Active sessions nobody has heard from since `before`: their clients are gone. */
  async listIdle(before: number, limit = 200): Promise<StudySession[]> {
    const docs = await this.sessions.collection.find({ status: 'active', lastSeenAt: { $lt: new Date(before) } }).limit(limit).toArray();
    return docs.map((d) => toSession(d as unknown as Lean));
  }

  /** Sessions with a ledger write started but not confirmed (the process died in between). */
  async listFlushing(limit = 200): Promise<StudySession[]> {
    const docs = await this.sessions.collection.find({ 'state.flushing': { $exists: true } }).limit(limit).toArray();
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
      if ((e as { code?: number }).code !== 11000) throw e;
    }
  }

  async refusalsOf(sessionId: string, limit = 2000): Promise<RefusalRecord[]> {
    const docs = await this.refusals.collection.find({ sessionId: new Types.ObjectId(sessionId) }).sort({ at: 1, seq: 1 }).limit(limit).toArray();
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
      createdAt: new Date(),
    });
    const { session: _s, ...rest } = c;
    return { ...rest, id: _id.toHexString(), sessionId: s.id, traineeId: s.traineeId };
  }

  async capturesOf(sessionId: string): Promise<CaptureRecord[]> {
    const docs = await this.captures.collection.find({ sessionId: new Types.ObjectId(sessionId) }).sort({ at: 1 }).toArray();
    return docs.map(toCapture);
  }

  async captureById(id: string): Promise<CaptureRecord | undefined> {
    if (!isValidObjectId(id) || !/^[0-9a-f]{24}$/i.test(id)) return undefined;
    const d = await this.captures.collection.findOne({ _id: new Types.ObjectId(id) });
    return d ? toCapture(d) : undefined;
  }
}
