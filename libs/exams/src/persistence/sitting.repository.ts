import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ExamOrganiser } from '@app/compliance';
import { scopeFilter, ScopeColumns, TenantScope } from '@app/identity';
import { hex, isId, oid } from '@app/platform';
import { Model, Types } from 'mongoose';
import type { CandidateResult, ExamSitting, SittingStatus } from '../exam.entity';
import type { SittingKind } from '../rules/exam-rules';
import { ExamSittingDoc } from './exam.schemas';

type Lean = ExamSittingDoc & { _id: Types.ObjectId };

/** The class's institution and region: what its staff, the region's examiners and auditors read it by. */
const COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', ids: 'objectId' };

const toSitting = (d: Lean): ExamSitting => ({
  id: d._id.toHexString(),
  programId: hex(d.programId)!,
  classId: hex(d.classId)!,
  institutionId: hex(d.institutionId)!,
  regionCode: d.regionCode,
  organiser: d.organiser as ExamOrganiser,
  ruleSetVersion: d.ruleSetVersion,
  passMark: d.passMark,
  kind: d.kind as SittingKind,
  paperCode: d.paperCode,
  paperTitle: d.paperTitle,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  location: d.location,
  candidates: (d.candidates ?? []).map((c) => ({ traineeId: c.traineeId.toHexString(), name: c.name, regionCode: c.regionCode, attempt: c.attempt })),
  status: d.status as SittingStatus,
  invigilators: d.invigilators ?? [],
  results: (d.results ?? []).map((r) => ({ traineeId: r.traineeId.toHexString(), ...(r.score !== undefined && r.score !== null ? { score: r.score } : {}), absent: r.absent, passed: r.passed })),
  createdBy: d.createdBy,
  recordedBy: d.recordedBy,
  recordedAt: d.recordedAt,
});

export type NewSitting = Omit<ExamSitting, 'id' | 'status' | 'invigilators' | 'results' | 'recordedBy' | 'recordedAt'>;

@Injectable()
export class SittingRepository {
  constructor(@InjectModel(ExamSittingDoc.name) private readonly model: Model<ExamSittingDoc>) {}

  async findById(scope: TenantScope, id: string): Promise<ExamSitting | undefined> {
    if (!isId(id)) return undefined;
    const doc = await this.model.findOne({ ...scopeFilter(scope, COLUMNS), _id: oid(id) }).lean<Lean>();
    return doc ? toSitting(doc) : undefined;
  }

  async listByClass(scope: TenantScope, classId: string): Promise<ExamSitting[]> {
    if (!isId(classId)) return [];
    const docs = await this.model.find({ ...scopeFilter(scope, COLUMNS), classId: oid(classId) }).sort({ startsAt: 1, _id: 1 }).lean<Lean[]>();
    return docs.map(toSitting);
  }

  /** Which of these trainees already sit an exam whose results are not recorded yet. */
  async scheduledAmong(traineeIds: readonly string[]): Promise<Set<string>> {
    const ids = traineeIds.filter(isId).map(oid);
    const docs = await this.model.find({ status: 'scheduled', 'candidates.traineeId': { $in: ids } }, { candidates: 1 }).lean<Lean[]>();
    const wanted = new Set(traineeIds);
    return new Set(docs.flatMap((d) => d.candidates.map((c) => c.traineeId.toHexString())).filter((id) => wanted.has(id)));
  }

  async create(s: NewSitting): Promise<ExamSitting> {
    const [doc] = await this.model.create([
      {
        ...s,
        programId: oid(s.programId),
        classId: oid(s.classId),
        institutionId: oid(s.institutionId),
        candidates: s.candidates.map((c) => ({ ...c, traineeId: oid(c.traineeId) })),
        status: 'scheduled',
        invigilators: [],
        results: [],
      },
    ]);
    return toSitting(doc.toObject() as Lean);
  }

  /** Records the results once: a second recording (or one racing it) finds the sitting no longer scheduled. */
  async record(id: string, r: { invigilators: readonly string[]; results: readonly CandidateResult[]; recordedBy: string; recordedAt: Date }): Promise<ExamSitting | undefined> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: oid(id), status: 'scheduled' },
        { $set: { status: 'recorded', invigilators: [...r.invigilators], results: r.results.map((x) => ({ ...x, traineeId: oid(x.traineeId) })), recordedBy: r.recordedBy, recordedAt: r.recordedAt } },
        { returnDocument: 'after' },
      )
      .lean<Lean>();
    return doc ? toSitting(doc) : undefined;
  }
}
