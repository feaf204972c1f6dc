import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { Attendance, AttendanceCapture } from '../offline.entity';
import { AppError, hex, isDuplicateKey, oid } from '@app/platform';
import { AttendanceDoc } from './offline.schemas';

type Lean = AttendanceDoc & { _id: Types.ObjectId };

const toAttendance = (d: Lean): Attendance => ({
  id: d._id.toHexString(),
  sessionId: hex(d.sessionId)!,
  classId: hex(d.classId)!,
  traineeId: hex(d.traineeId)!,
  programId: hex(d.programId)!,
  institutionId: hex(d.institutionId)!,
  regionCode: d.regionCode,
  signInAt: d.signInAt ?? undefined,
  signOutAt: d.signOutAt ?? undefined,
  captures: (d.captures ?? []) as AttendanceCapture[],
  manual: d.manual ?? [],
  flagged: d.flagged ?? false,
});

/** Who the row is about, copied from the roster entry when the first sign-in creates it. */
export type AttendanceOwner = Pick<Attendance, 'sessionId' | 'classId' | 'traineeId' | 'programId' | 'institutionId' | 'regionCode'>;

@Injectable()
export class AttendanceRepository {
  constructor(@InjectModel(AttendanceDoc.name) private readonly model: Model<AttendanceDoc>) {}

  /** Two kiosks (or a kiosk and staff) writing one person's first row at once: one wins, the other is a 409 to retry. */
  private async createOnce(docs: object[]) {
    try {
      return await this.model.create(docs);
    } catch (e) {
      if (isDuplicateKey(e)) throw AppError.of('CONFLICT');
      throw e;
    }
  }

  async find(sessionId: string, traineeId: string): Promise<Attendance | undefined> {
    const doc = await this.model.findOne({ sessionId: oid(sessionId), traineeId: oid(traineeId) }).lean<Lean>();
    return doc ? toAttendance(doc) : undefined;
  }

  async existsFor(classId: string, traineeId: string): Promise<boolean> {
    return (await this.model.countDocuments({ classId: oid(classId), traineeId: oid(traineeId) })) > 0;
  }

  async listBySession(sessionId: string): Promise<Attendance[]> {
    const docs = await this.model.find({ sessionId: oid(sessionId) }).lean<Lean[]>();
    return docs.map(toAttendance);
  }

  async listForTrainees(traineeIds: readonly string[]): Promise<Attendance[]> {
    const docs = await this.model.find({ traineeId: { $in: traineeIds.map(oid) } }).lean<Lean[]>();
    return docs.map(toAttendance);
  }

  /**
   * Writes the row as the use case decided it, guarded by what it read (`expectedUpdatedAt`
   * absent → the row must not exist yet): two kiosks recognising one person at once cannot both
   * sign them in; the loser's commit fails on the unique index or the guard and is retried.
   */
  async save(owner: AttendanceOwner, next: Pick<Attendance, 'signInAt' | 'signOutAt' | 'captures' | 'manual' | 'flagged'>, existing: Attendance | undefined): Promise<Attendance> {
    const fields = { signInAt: next.signInAt, signOutAt: next.signOutAt, captures: next.captures, manual: next.manual, flagged: next.flagged };
    if (!existing) {
      const [doc] = await this.createOnce([
        {
          ...owner,
          sessionId: oid(owner.sessionId),
          classId: oid(owner.classId),
          traineeId: oid(owner.traineeId),
          programId: oid(owner.programId),
          institutionId: oid(owner.institutionId),
          ...fields,
        },
      ]);
      return toAttendance(doc.toObject() as Lean);
    }
    const doc = await this.model.findOneAndUpdate({ _id: oid(existing.id) }, { $set: fields }, { returnDocument: 'after' }).lean<Lean>();
    return toAttendance(doc!);
  }
}
