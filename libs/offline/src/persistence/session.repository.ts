import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { scopeFilter, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import type { ClassSession, SessionStatus } from '../offline.entity';
import type { SessionKind } from '../rules/attendance';
import { hex, isId, oid } from '@app/platform';
import { INSTITUTION_COLUMNS } from './offline-scope';
import { ClassSessionDoc } from './offline.schemas';

type Lean = ClassSessionDoc & { _id: Types.ObjectId };

const toSession = (d: Lean): ClassSession => ({
  id: d._id.toHexString(),
  classId: hex(d.classId)!,
  programId: hex(d.programId)!,
  institutionId: hex(d.institutionId)!,
  regionCode: d.regionCode,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  kind: d.kind as SessionKind,
  topic: d.topic,
  instructorId: hex(d.instructorId)!,
  room: d.room,
  status: d.status as SessionStatus,
  acceptedAt: d.acceptedAt ?? undefined,
  acceptedBy: d.acceptedBy ?? undefined,
});

export type NewSession = Omit<ClassSession, 'id' | 'status' | 'acceptedAt' | 'acceptedBy'>;
export type SessionPatch = Partial<Pick<ClassSession, 'startsAt' | 'endsAt' | 'kind' | 'topic' | 'instructorId' | 'room'>>;

@Injectable()
export class SessionRepository {
  constructor(@InjectModel(ClassSessionDoc.name) private readonly model: Model<ClassSessionDoc>) {}

  async findById(scope: TenantScope, id: string): Promise<ClassSession | undefined> {
    if (!isId(id)) return undefined;
    const doc = await this.model.findOne({ ...scopeFilter(scope, INSTITUTION_COLUMNS), _id: oid(id) }).lean<Lean>();
    return doc ? toSession(doc) : undefined;
  }

  async listByClasses(classIds: readonly string[]): Promise<ClassSession[]> {
    const docs = await this.model.find({ classId: { $in: classIds.map(oid) } }).sort({ startsAt: 1, _id: 1 }).lean<Lean[]>();
    return docs.map(toSession);
  }

  /** The institution's sessions that overlap [from, to): the candidates for an instructor or room clash. */
  async listOverlapping(institutionId: string, from: Date, to: Date): Promise<ClassSession[]> {
    const docs = await this.model.find({ institutionId: oid(institutionId), startsAt: { $lt: to }, endsAt: { $gt: from } }).lean<Lean[]>();
    return docs.map(toSession);
  }

  /** Sessions of these instructors (any institution) that overlap [from, to). */
  async listOverlappingFor(instructorIds: readonly string[], from: Date, to: Date): Promise<ClassSession[]> {
    if (instructorIds.length === 0) return [];
    const docs = await this.model.find({ instructorId: { $in: instructorIds.map(oid) }, startsAt: { $lt: to }, endsAt: { $gt: from } }).lean<Lean[]>();
    return docs.map(toSession);
  }

  async create(s: NewSession): Promise<ClassSession> {
    const [doc] = await this.model.create([
      { ...s, classId: oid(s.classId), programId: oid(s.programId), institutionId: oid(s.institutionId), instructorId: oid(s.instructorId), status: 'scheduled' },
    ]);
    return toSession(doc.toObject() as Lean);
  }

  async update(id: string, patch: SessionPatch): Promise<ClassSession> {
    const set: Record<string, unknown> = { ...patch };
    if (patch.instructorId) set.instructorId = oid(patch.instructorId);
    const doc = await this.model.findOneAndUpdate({ _id: oid(id), status: 'scheduled' }, { $set: set }, { returnDocument: 'after', runValidators: true }).lean<Lean>();
    return toSession(doc!);
  }

  /** Scheduled → accepted, once: a second acceptance matches nothing. */
  async markAccepted(id: string, at: Date, by: string): Promise<boolean> {
    const res = await this.model.updateOne({ _id: oid(id), status: 'scheduled' }, { $set: { status: 'accepted', acceptedAt: at, acceptedBy: by } });
    return res.modifiedCount === 1;
  }
}
