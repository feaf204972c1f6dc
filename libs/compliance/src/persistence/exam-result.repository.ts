import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { scopeFilter, ScopeColumns, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import { hex, oid } from '@app/platform';
import { ExamResultDoc } from './compliance.schemas';

type Lean = ExamResultDoc & { _id: Types.ObjectId };

export interface ExamResult {
  readonly id: string;
  readonly traineeId: string;
  readonly programId: string;
  readonly institutionId: string;
  readonly regionCode: string;
  readonly sessionId: string;
  readonly score: number;
  readonly mode: 'online' | 'paper';
  readonly at: Date;
  readonly by: string;
}
export type NewExamResult = Omit<ExamResult, 'id'>;

const COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', ids: 'objectId' };

const toResult = (d: Lean): ExamResult => ({
  id: d._id.toHexString(),
  traineeId: hex(d.traineeId)!,
  programId: hex(d.programId)!,
  institutionId: hex(d.institutionId)!,
  regionCode: d.regionCode,
  sessionId: d.sessionId,
  score: d.score,
  mode: d.mode as ExamResult['mode'],
  at: d.at,
  by: d.by,
});

/** Exam results as verdicts read them. Written only inside the exams context's audited commits. */
@Injectable()
export class ExamResultRepository {
  constructor(@InjectModel(ExamResultDoc.name) private readonly model: Model<ExamResultDoc>) {}

  async listForTrainees(scope: TenantScope, traineeIds: readonly string[]): Promise<ExamResult[]> {
    const docs = await this.model.find({ ...scopeFilter(scope, COLUMNS), traineeId: { $in: traineeIds.map(oid) } }).sort({ at: 1 }).lean<Lean[]>();
    return docs.map(toResult);
  }

  async findForSession(sessionId: string, traineeId: string): Promise<ExamResult | undefined> {
    const doc = await this.model.findOne({ sessionId, traineeId: oid(traineeId) }).lean<Lean>();
    return doc ? toResult(doc) : undefined;
  }

  async insert(r: NewExamResult): Promise<ExamResult> {
    const [doc] = await this.model.create([{ ...r, traineeId: oid(r.traineeId), programId: oid(r.programId), institutionId: oid(r.institutionId) }]);
    return toResult(doc.toObject() as Lean);
  }
}
