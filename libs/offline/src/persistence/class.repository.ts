import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { scopeFilter, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import type { OfflineClass } from '../offline.entity';
import type { ClassStatus } from '../rules/class-composition';
import { hex, isId, oid } from '@app/platform';
import { INSTITUTION_COLUMNS } from './offline-scope';
import { OfflineClassDoc } from './offline.schemas';

type Lean = OfflineClassDoc & { _id: Types.ObjectId };

function toClass(d: Lean): OfflineClass {
  return {
    id: d._id.toHexString(),
    programId: hex(d.programId)!,
    institutionId: hex(d.institutionId)!,
    regionCode: d.regionCode,
    name: d.name,
    category: d.category,
    industry: d.industry,
    location: d.location,
    startDate: d.startDate,
    endDate: d.endDate,
    status: d.status as ClassStatus,
    size: d.size ?? 0,
    sizeOverride: d.sizeOverride ?? undefined,
    demo: d.demo ?? false,
  };
}

export type NewClass = Omit<OfflineClass, 'id' | 'size' | 'sizeOverride' | 'status'>;
export type ClassPatch = Partial<Pick<OfflineClass, 'name' | 'location' | 'startDate' | 'endDate' | 'status'>>;

@Injectable()
export class ClassRepository {
  constructor(@InjectModel(OfflineClassDoc.name) private readonly model: Model<OfflineClassDoc>) {}

  async findById(scope: TenantScope, id: string): Promise<OfflineClass | undefined> {
    if (!isId(id)) return undefined;
    const doc = await this.model.findOne({ ...scopeFilter(scope, INSTITUTION_COLUMNS), _id: oid(id) }).lean<Lean>();
    return doc ? toClass(doc) : undefined;
  }

  async findByIds(scope: TenantScope, ids: readonly string[]): Promise<OfflineClass[]> {
    const docs = await this.model.find({ ...scopeFilter(scope, INSTITUTION_COLUMNS), _id: { $in: ids.filter(isId).map(oid) } }).lean<Lean[]>();
    return docs.map(toClass);
  }

  async list(scope: TenantScope, q: { programId?: string; status?: string }): Promise<OfflineClass[]> {
    const filter: Record<string, unknown> = scopeFilter(scope, INSTITUTION_COLUMNS);
    if (q.programId) filter.programId = oid(q.programId);
    if (q.status) filter.status = q.status;
    const docs = await this.model.find(filter).sort({ startDate: -1, _id: -1 }).limit(500).lean<Lean[]>();
    return docs.map(toClass);
  }

  async findByName(institutionId: string, name: string): Promise<OfflineClass | undefined> {
    const doc = await this.model.findOne({ institutionId: oid(institutionId), name }).lean<Lean>();
    return doc ? toClass(doc) : undefined;
  }

  async create(c: NewClass): Promise<OfflineClass> {
    const [doc] = await this.model.create([{ ...c, programId: oid(c.programId), institutionId: oid(c.institutionId), status: 'draft', size: 0 }]);
    return toClass(doc.toObject() as Lean);
  }

  async update(id: string, patch: ClassPatch): Promise<OfflineClass> {
    const doc = await this.model.findOneAndUpdate({ _id: oid(id) }, { $set: patch }, { returnDocument: 'after', runValidators: true }).lean<Lean>();
    return toClass(doc!);
  }

  /**
   * Moves the roster size from what the caller read to `size`: a concurrent addition to the
   * same class makes this match nothing, and the use case's commit retries (the cap is then
   * checked against the new size, never past it).
   */
  async resize(id: string, from: number, size: number, override?: OfflineClass['sizeOverride']): Promise<boolean> {
    const set: Record<string, unknown> = { size };
    if (override) set.sizeOverride = override;
    const res = await this.model.updateOne({ _id: oid(id), size: from }, { $set: set });
    return res.modifiedCount === 1;
  }
}
