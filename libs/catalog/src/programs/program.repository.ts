import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { NewProgram, Program } from './program.entity';
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

  /** Idempotent by code: the seed and imports call it again without creating twins. */
  async upsertByCode(program: NewProgram): Promise<{ created: boolean }> {
    const res = await this.model.updateOne({ code: program.code }, { $set: program }, { upsert: true, runValidators: true });
    return { created: res.upsertedCount > 0 };
  }
}
