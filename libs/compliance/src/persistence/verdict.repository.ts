import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { scopeFilter, ScopeColumns, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import type { Verdict, VerdictInput, VerdictStatus } from '../rules/verdict';
import { hex, isId, oid } from '@app/platform';
import { DirtyDoc, VerdictDoc, WatermarkDoc } from './compliance.schemas';

type Lean = VerdictDoc & { _id: Types.ObjectId };

/** What a verdict was judged from, as stored (dates as ISO strings). */
export type StoredInputs = Omit<VerdictInput, 'ruleSet' | 'now' | 'exams'> & {
  readonly ruleSetVersion: number;
  readonly exams: readonly { readonly score: number; readonly at: string }[];
  readonly now: string;
};

export interface StoredVerdict {
  readonly id: string;
  readonly traineeId: string;
  readonly programId: string;
  readonly institutionId: string;
  readonly regionCode: string;
  readonly userId?: string;
  readonly category: string;
  readonly status: VerdictStatus;
  readonly ruleSetVersion: number;
  readonly verdict: Verdict;
  readonly inputs: StoredInputs;
  readonly inputsHash: string;
  readonly alsoTrainingIn: readonly { traineeId: string; programId: string; programCode: string }[];
  readonly judgedAt: Date;
}

export type VerdictWrite = Omit<StoredVerdict, 'id'>;

/** Institutions see their trainees' verdicts, auditors their region's, trainees their own. */
const COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', user: 'userId', ids: 'objectId' };

const toStored = (d: Lean): StoredVerdict => ({
  id: d._id.toHexString(),
  traineeId: hex(d.traineeId)!,
  programId: hex(d.programId)!,
  institutionId: hex(d.institutionId)!,
  regionCode: d.regionCode,
  userId: hex(d.userId),
  category: d.category,
  status: d.status as VerdictStatus,
  ruleSetVersion: d.ruleSetVersion,
  verdict: d.verdict as unknown as Verdict,
  inputs: d.inputs as unknown as StoredInputs,
  inputsHash: d.inputsHash,
  alsoTrainingIn: d.alsoTrainingIn ?? [],
  judgedAt: d.judgedAt,
});

@Injectable()
export class VerdictRepository {
  constructor(
    @InjectModel(VerdictDoc.name) private readonly model: Model<VerdictDoc>,
    @InjectModel(DirtyDoc.name) private readonly dirty: Model<DirtyDoc>,
    @InjectModel(WatermarkDoc.name) private readonly marks: Model<WatermarkDoc>,
  ) {}

  async findByTrainee(scope: TenantScope, traineeId: string): Promise<StoredVerdict | undefined> {
    if (!isId(traineeId)) return undefined;
    const doc = await this.model.findOne({ ...scopeFilter(scope, COLUMNS), traineeId: oid(traineeId) }).lean<Lean>();
    return doc ? toStored(doc) : undefined;
  }

  async findByTrainees(scope: TenantScope, traineeIds: readonly string[]): Promise<StoredVerdict[]> {
    const docs = await this.model.find({ ...scopeFilter(scope, COLUMNS), traineeId: { $in: traineeIds.filter(isId).map(oid) } }).lean<Lean[]>();
    return docs.map(toStored);
  }

  async list(scope: TenantScope, q: { programId?: string; status?: VerdictStatus; limit: number; offset: number }): Promise<{ items: StoredVerdict[]; total: number }> {
    const filter: Record<string, unknown> = scopeFilter(scope, COLUMNS);
    if (q.programId) filter.programId = isId(q.programId) ? oid(q.programId) : null;
    if (q.status) filter.status = q.status;
    const [docs, total] = await Promise.all([
      this.model.find(filter).sort({ judgedAt: -1, _id: -1 }).skip(q.offset).limit(q.limit).lean<Lean[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: docs.map(toStored), total };
  }

  /** Trainee ids of a program whose verdict used an older rule-set version than `version`. */
  async staleForProgram(programId: string, version: number, limit: number): Promise<string[]> {
    const docs = await this.model.find({ programId: oid(programId), ruleSetVersion: { $lt: version } }, { traineeId: 1 }).limit(limit).lean<Lean[]>();
    return docs.map((d) => d.traineeId.toHexString());
  }

  async traineeIdsOfProgram(programId: string): Promise<string[]> {
    const docs = await this.model.find({ programId: oid(programId) }, { traineeId: 1 }).lean<Lean[]>();
    return docs.map((d) => d.traineeId.toHexString());
  }

  /** Status counts of a program (for the dashboard and the exam targets). */
  async countsByStatus(programId: string): Promise<Record<VerdictStatus, number>> {
    const rows = await this.model.aggregate<{ _id: VerdictStatus; n: number }>([{ $match: { programId: oid(programId) } }, { $group: { _id: '$status', n: { $sum: 1 } } }]);
    const out: Record<VerdictStatus, number> = { complete: 0, in_progress: 0, non_compliant: 0 };
    for (const r of rows) out[r._id] = r.n;
    return out;
  }

  async upsert(v: VerdictWrite): Promise<StoredVerdict> {
    const doc = await this.model
      .findOneAndUpdate(
        { traineeId: oid(v.traineeId) },
        {
          $set: {
            ...v,
            traineeId: oid(v.traineeId),
            programId: oid(v.programId),
            institutionId: oid(v.institutionId),
            userId: v.userId ? oid(v.userId) : undefined,
          },
        },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<Lean>();
    return toStored(doc!);
  }

  async markDirty(traineeIds: readonly string[], at = new Date()): Promise<void> {
    if (traineeIds.length === 0) return;
    await this.dirty.bulkWrite(traineeIds.map((id) => ({ updateOne: { filter: { traineeId: oid(id) }, update: { $set: { since: at } }, upsert: true } })));
  }

  async takeDirty(limit: number): Promise<string[]> {
    const docs = await this.dirty.find({}).sort({ since: 1 }).limit(limit).lean<(DirtyDoc & { _id: Types.ObjectId })[]>();
    return docs.map((d) => d.traineeId.toHexString());
  }

  /** Clears the marks judged; one set again after `takenAt` (a change during the judging) stays. */
  async clearDirty(traineeIds: readonly string[], takenAt: Date): Promise<void> {
    if (traineeIds.length) await this.dirty.deleteMany({ traineeId: { $in: traineeIds.map(oid) }, since: { $lte: takenAt } });
  }

  async watermark(key: string): Promise<string | undefined> {
    return (await this.marks.findOne({ key }).lean<WatermarkDoc>())?.value;
  }

  async setWatermark(key: string, value: string): Promise<void> {
    await this.marks.updateOne({ key }, { $set: { value } }, { upsert: true });
  }
}
