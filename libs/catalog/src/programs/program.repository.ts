import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import type { ElectiveTarget, NewProgram, Program } from './program.entity';
import { ProgramDoc } from './program.schema';

type Lean = ProgramDoc & { _id: Types.ObjectId };

function toProgram(doc: Lean): Program {
  return {
    id: doc._id.toHexString(),
    code: doc.code,
    name: doc.name,
    jurisdiction: doc.jurisdiction,
    industries: doc.industries,
    categories: doc.categories,
    minutesPerHour: doc.minutesPerHour,
    startDate: doc.startDate,
    endDate: doc.endDate,
    rules: doc.rules,
    deadlines: doc.deadlines,
    targets: doc.targets,
    notes: doc.notes,
    completionDeadline: doc.completionDeadline ?? undefined,
    electiveTargets: doc.electiveTargets ?? [],
  };
}

/** Programs are public reference data (not tenant data), so reads take no tenant scope. */
@Injectable()
export class ProgramRepository {
  constructor(@InjectModel(ProgramDoc.name) private readonly model: Model<ProgramDoc>) {}

  async list(): Promise<Program[]> {
    const docs = await this.model.find().sort({ startDate: 1, code: 1 }).lean<Lean[]>();
    return docs.map(toProgram);
  }

  async findByCode(code: string): Promise<Program | undefined> {
    const doc = await this.model.findOne({ code }).lean<Lean>();
    return doc ? toProgram(doc) : undefined;
  }

  async findById(id: string): Promise<Program | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findById(id).lean<Lean>();
    return doc ? toProgram(doc) : undefined;
  }

  /** The online-study settings an administrator edits; the rule set itself comes from the documents. */
  async updateStudySettings(
    id: string,
    patch: { completionDeadline?: string | null; electiveTargets?: ElectiveTarget[] },
  ): Promise<Program | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    if (patch.completionDeadline === null) unset.completionDeadline = '';
    else if (patch.completionDeadline !== undefined) set.completionDeadline = patch.completionDeadline;
    if (patch.electiveTargets !== undefined) set.electiveTargets = patch.electiveTargets;
    const doc = await this.model
      .findOneAndUpdate({ _id: new Types.ObjectId(id) }, { $set: set, $unset: unset }, { returnDocument: 'after', runValidators: true })
      .lean<Lean>();
    return doc ? toProgram(doc) : undefined;
  }

  /** Idempotent by code: the seed and imports call it again without creating twins. */
  async upsertByCode(program: NewProgram): Promise<{ created: boolean }> {
    // Study settings are the administrator's once set: the seed only provides them for a new program.
    const { completionDeadline, electiveTargets, ...fromDocuments } = program;
    const onInsert: Record<string, unknown> = { electiveTargets };
    if (completionDeadline !== undefined) onInsert.completionDeadline = completionDeadline;
    const res = await this.model.updateOne(
      { code: program.code },
      { $set: fromDocuments, $setOnInsert: onInsert },
      { upsert: true, runValidators: true },
    );
    return { created: res.upsertedCount > 0 };
  }
}
