import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { RuleSetBody, RuleSetVersion } from '../rules/rule-set';
import { hex, isId, oid } from '@app/platform';
import { RuleSetDoc } from './compliance.schemas';

type Lean = RuleSetDoc & { _id: Types.ObjectId };

const toVersion = (d: Lean): RuleSetVersion => ({
  id: d._id.toHexString(),
  programId: hex(d.programId)!,
  programCode: d.programCode,
  version: d.version,
  body: d.body as unknown as RuleSetBody,
  note: d.note,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
});

/** Rule sets are published program data (no tenant's): every role that judges or is judged reads them. */
@Injectable()
export class RuleSetRepository {
  constructor(@InjectModel(RuleSetDoc.name) private readonly model: Model<RuleSetDoc>) {}

  async listByProgram(programId: string): Promise<RuleSetVersion[]> {
    if (!isId(programId)) return [];
    return (await this.model.find({ programId: oid(programId) }).sort({ version: -1 }).lean<Lean[]>()).map(toVersion);
  }

  async current(programId: string): Promise<RuleSetVersion | undefined> {
    if (!isId(programId)) return undefined;
    const doc = await this.model.findOne({ programId: oid(programId) }).sort({ version: -1 }).lean<Lean>();
    return doc ? toVersion(doc) : undefined;
  }

  /** The newest version of every program's rule set. */
  async currentAll(): Promise<RuleSetVersion[]> {
    const latest = new Map<string, RuleSetVersion>();
    for (const v of (await this.model.find({}).sort({ version: 1 }).lean<Lean[]>()).map(toVersion)) latest.set(v.programId, v);
    return [...latest.values()];
  }

  async findVersion(programId: string, version: number): Promise<RuleSetVersion | undefined> {
    if (!isId(programId)) return undefined;
    const doc = await this.model.findOne({ programId: oid(programId), version }).lean<Lean>();
    return doc ? toVersion(doc) : undefined;
  }

  /** The next version; two editors saving at once collide on the unique index and one is refused. */
  async insert(v: Omit<RuleSetVersion, 'id' | 'createdAt'>): Promise<RuleSetVersion> {
    const [doc] = await this.model.create([{ ...v, programId: oid(v.programId), body: v.body as unknown as Record<string, unknown> }]);
    return toVersion(doc.toObject() as Lean);
  }
}
