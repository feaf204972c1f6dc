import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { scopeFilter, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import type { VoidScope } from '../decisions/void-scope';
import { OVERSIGHT_SCOPE_COLUMNS } from './item.repository';
import { OversightAppealDoc, OversightVoidDoc, OversightWatchDoc } from './oversight.schemas';

const scoped = (scope: TenantScope) => scopeFilter(scope, OVERSIGHT_SCOPE_COLUMNS);
const isId = (id: string) => /^[0-9a-f]{24}$/i.test(id);

export interface VoidRecord {
  readonly id: string;
  readonly key: string;
  readonly scope: VoidScope;
  readonly itemId?: string;
  readonly traineeId: string;
  readonly programId: string;
  readonly institutionId: string;
  readonly regionCode: string;
  readonly userId?: string;
  readonly reason: string;
  readonly by: string;
  readonly at: Date;
  readonly entries: readonly { readonly creditId: string; readonly compensationId: string; readonly seconds: number; readonly source: string }[];
  readonly seconds: number;
  readonly status: 'active' | 'reversed' | 'restored';
  readonly undone?: { readonly kind: 'reversed' | 'restored'; readonly by: string; readonly at: Date; readonly reason: string; readonly appealId?: string; readonly restorations: readonly string[] };
}

export interface AppealRecord {
  readonly id: string;
  readonly voidId: string;
  readonly traineeId: string;
  readonly institutionId: string;
  readonly regionCode: string;
  readonly userId?: string;
  readonly by: string;
  readonly byRole: string;
  readonly statement: string;
  readonly evidence: readonly { readonly key: string; readonly sha256: string; readonly size: number; readonly contentType: string; readonly name: string }[];
  readonly at: Date;
  readonly status: 'pending' | 'upheld' | 'rejected';
  readonly decision?: { readonly by: string; readonly at: Date; readonly reason: string };
}

export interface WatchRecord {
  readonly id: string;
  readonly kind: 'trainee' | 'institution';
  readonly targetId: string;
  readonly institutionId: string;
  readonly regionCode: string;
  readonly userId?: string;
  readonly reason: string;
  readonly by: string;
  readonly at: Date;
  readonly until?: Date;
  readonly factor: number;
  readonly active: boolean;
}

const plain = <T>(d: Record<string, unknown> & { _id: Types.ObjectId }): T => {
  const { _id, createdAt: _c, updatedAt: _u, ...rest } = d;
  return { id: _id.toHexString(), ...rest } as T;
};

/** Mongoose gives a nested path holding an array a value even when never set (`undone: { restorations: [] }`): not undone. */
const toVoid = (d: Record<string, unknown> & { _id: Types.ObjectId }): VoidRecord => {
  const v = plain<VoidRecord>(d);
  return v.undone?.kind ? v : { ...v, undone: undefined };
};

/** Voids, appeals and the watch list. Writes run inside the use cases' audit commits (the session comes from the trail). */
@Injectable()
export class DecisionRepository implements OnModuleInit {
  constructor(
    @InjectModel(OversightVoidDoc.name) private readonly voids: Model<OversightVoidDoc>,
    @InjectModel(OversightAppealDoc.name) private readonly appeals: Model<OversightAppealDoc>,
    @InjectModel(OversightWatchDoc.name) private readonly watch: Model<OversightWatchDoc>,
  ) {}

  /** The unique keys (one void per scope, one appeal per void) are what makes a repeat change nothing. */
  async onModuleInit(): Promise<void> {
    await Promise.all([this.voids.init(), this.appeals.init(), this.watch.init()]);
  }

  async insertVoid(v: Omit<VoidRecord, 'id'>): Promise<VoidRecord> {
    const [doc] = await this.voids.create([v as unknown as OversightVoidDoc]);
    return toVoid(doc.toObject() as never);
  }

  async voidByKey(key: string): Promise<VoidRecord | undefined> {
    const d = await this.voids.findOne({ key }).lean();
    return d ? toVoid(d as never) : undefined;
  }

  async findVoid(scope: TenantScope, id: string): Promise<VoidRecord | undefined> {
    if (!isId(id)) return undefined;
    const d = await this.voids.findOne({ _id: new Types.ObjectId(id), ...scoped(scope) }).lean();
    return d ? toVoid(d as never) : undefined;
  }

  async listVoids(scope: TenantScope, filter: { traineeId?: string }, limit = 200): Promise<VoidRecord[]> {
    const q: Record<string, unknown> = { ...scoped(scope) };
    if (filter.traineeId) q.traineeId = filter.traineeId;
    const docs = await this.voids.find(q).sort({ at: -1 }).limit(limit).lean();
    return docs.map((d) => toVoid(d as never));
  }

  /** Marks an active void undone; false when it was not active any more (another undoing won). */
  async undoVoid(id: string, undone: NonNullable<VoidRecord['undone']>): Promise<boolean> {
    const res = await this.voids.updateOne({ _id: new Types.ObjectId(id), status: 'active' }, { $set: { status: undone.kind, undone } });
    return res.modifiedCount === 1;
  }

  async insertAppeal(a: Omit<AppealRecord, 'id'>): Promise<AppealRecord> {
    const [doc] = await this.appeals.create([a as unknown as OversightAppealDoc]);
    return plain<AppealRecord>(doc.toObject() as never);
  }

  async appealOf(voidId: string): Promise<AppealRecord | undefined> {
    const d = await this.appeals.findOne({ voidId }).lean();
    return d ? plain<AppealRecord>(d as never) : undefined;
  }

  async findAppeal(scope: TenantScope, id: string): Promise<AppealRecord | undefined> {
    if (!isId(id)) return undefined;
    const d = await this.appeals.findOne({ _id: new Types.ObjectId(id), ...scoped(scope) }).lean();
    return d ? plain<AppealRecord>(d as never) : undefined;
  }

  async listAppeals(scope: TenantScope, status: AppealRecord['status'] | undefined, limit = 200): Promise<AppealRecord[]> {
    const docs = await this.appeals.find({ ...scoped(scope), ...(status ? { status } : {}) }).sort({ at: 1 }).limit(limit).lean();
    return docs.map((d) => plain<AppealRecord>(d as never));
  }

  async decideAppeal(id: string, status: 'upheld' | 'rejected', decision: NonNullable<AppealRecord['decision']>): Promise<boolean> {
    const res = await this.appeals.updateOne({ _id: new Types.ObjectId(id), status: 'pending' }, { $set: { status, decision } });
    return res.modifiedCount === 1;
  }

  async setWatch(w: Omit<WatchRecord, 'id'>): Promise<WatchRecord> {
    const d = await this.watch.findOneAndUpdate({ kind: w.kind, targetId: w.targetId }, { $set: w }, { upsert: true, new: true }).lean();
    return plain<WatchRecord>(d as never);
  }

  async endWatch(scope: TenantScope, id: string, by: string, at: Date): Promise<WatchRecord | undefined> {
    if (!isId(id)) return undefined;
    const d = await this.watch.findOneAndUpdate({ _id: new Types.ObjectId(id), ...scoped(scope), active: true }, { $set: { active: false, until: at, endedBy: by } }, { new: true }).lean();
    return d ? plain<WatchRecord>(d as never) : undefined;
  }

  async listWatch(scope: TenantScope): Promise<WatchRecord[]> {
    const docs = await this.watch.find({ ...scoped(scope), active: true }).sort({ at: -1 }).limit(500).lean();
    return docs.map((d) => plain<WatchRecord>(d as never));
  }

  /** The strongest active watch over a trainee or their institution at `now`: how much more often to check faces. */
  async watchFactor(traineeId: string, institutionId: string, now: Date): Promise<number> {
    const docs = await this.watch
      .find({ active: true, $or: [{ kind: 'trainee', targetId: traineeId }, { kind: 'institution', targetId: institutionId }], $and: [{ $or: [{ until: { $exists: false } }, { until: null }, { until: { $gt: now } }] }] })
      .lean();
    return docs.reduce((m, d) => Math.max(m, d.factor), 1);
  }
}
