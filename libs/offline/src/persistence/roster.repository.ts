import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { RosterEntry } from '../offline.entity';
import { offlineError } from '../offline.errors';
import { hex, isDuplicateKey, oid } from '@app/platform';
import { RosterEntryDoc } from './offline.schemas';

type Lean = RosterEntryDoc & { _id: Types.ObjectId };

const toEntry = (d: Lean): RosterEntry => ({
  id: d._id.toHexString(),
  classId: hex(d.classId)!,
  traineeId: hex(d.traineeId)!,
  institutionId: hex(d.institutionId)!,
  regionCode: d.regionCode,
  name: d.name,
  category: d.category,
});

@Injectable()
export class RosterRepository {
  constructor(@InjectModel(RosterEntryDoc.name) private readonly model: Model<RosterEntryDoc>) {}

  /** A class's roster; the caller has already found the class within its scope. */
  async listByClass(classId: string): Promise<RosterEntry[]> {
    const docs = await this.model.find({ classId: oid(classId) }).sort({ name: 1, _id: 1 }).lean<Lean[]>();
    return docs.map(toEntry);
  }

  /** Every class a trainee sits in (for the overlap rule: one person cannot be in two rooms at once). */
  async classIdsOf(traineeId: string): Promise<string[]> {
    const docs = await this.model.find({ traineeId: oid(traineeId) }, { classId: 1 }).lean<Lean[]>();
    return docs.map((d) => hex(d.classId)!);
  }

  /** The roster rows of these trainees (a trainee's own records, found through their login by the caller). */
  async listForTrainees(traineeIds: readonly string[]): Promise<RosterEntry[]> {
    const docs = await this.model.find({ traineeId: { $in: traineeIds.map(oid) } }).lean<Lean[]>();
    return docs.map(toEntry);
  }

  async add(e: Omit<RosterEntry, 'id'>): Promise<RosterEntry> {
    try {
      const [doc] = await this.model.create([{ ...e, classId: oid(e.classId), traineeId: oid(e.traineeId), institutionId: oid(e.institutionId) }]);
      return toEntry(doc.toObject() as Lean);
    } catch (e) {
      // The same person added twice at once: the unique (class, trainee) index decides, the loser is told.
      if (isDuplicateKey(e)) throw offlineError('TRAINEE_ALREADY_IN_CLASS');
      throw e;
    }
  }

  async remove(classId: string, traineeId: string): Promise<boolean> {
    return (await this.model.deleteOne({ classId: oid(classId), traineeId: oid(traineeId) })).deletedCount === 1;
  }

  async has(classId: string, traineeId: string): Promise<boolean> {
    return (await this.model.countDocuments({ classId: oid(classId), traineeId: oid(traineeId) })) > 0;
  }
}
