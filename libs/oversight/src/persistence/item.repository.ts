import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { activeSession } from '@app/audit';
import { ScopeColumns, scopeFilter, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import type { ScoredSubject } from '../queue/scoring';
import type { Signal, SignalCode, Subject, SubjectKind } from '../signals/signal';
import { OversightItemDoc } from './oversight.schemas';

export const OVERSIGHT_SCOPE_COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', user: 'userId', ids: 'string' };
const scoped = (scope: TenantScope) => scopeFilter(scope, OVERSIGHT_SCOPE_COLUMNS);
const isId = (id: string) => /^[0-9a-f]{24}$/i.test(id);

export type ItemStatus = 'open' | 'confirmed' | 'voided';

export interface OversightItem {
  readonly id: string;
  readonly subject: Subject;
  readonly signals: readonly Signal[];
  readonly codes: readonly SignalCode[];
  readonly score: number;
  readonly formula: string;
  readonly status: ItemStatus;
  readonly claim?: { readonly by: string; readonly at: Date; readonly until: Date };
  readonly decision?: { readonly kind: string; readonly by: string; readonly at: Date; readonly reason: string; readonly voidId?: string };
  readonly refreshedAt: Date;
}

export interface QueueFilter {
  readonly programId?: string;
  readonly institutionId?: string;
  readonly enterpriseId?: string;
  readonly classId?: string;
  readonly signal?: SignalCode;
  readonly from?: Date;
  readonly to?: Date;
  readonly status?: ItemStatus;
}

type Lean = OversightItemDoc & { _id: Types.ObjectId };

function toItem(d: Lean): OversightItem {
  const owner = Object.fromEntries(Object.entries(d.owner ?? {}).filter(([, v]) => v !== undefined && v !== null)) as unknown as Subject['owner'];
  return {
    id: d._id.toHexString(),
    subject: { kind: d.subjectKind as SubjectKind, id: d.subjectId, owner, at: d.at.getTime(), ...(d.sessionId ? { sessionId: d.sessionId } : {}) },
    signals: d.signals as unknown as Signal[],
    codes: d.codes as SignalCode[],
    score: d.score,
    formula: d.formula,
    status: d.status as ItemStatus,
    claim: d.claim,
    decision: d.decision,
    refreshedAt: d.refreshedAt,
  };
}

/** Signals travel without their subject on the item (it is the item's). */
const storedSignal = ({ subject: _s, ...rest }: Signal) => rest;

/** The spot-check queue. Reads take the caller's scope; the refresh writes every tenant's items. */
@Injectable()
export class OversightItemRepository implements OnModuleInit {
  constructor(@InjectModel(OversightItemDoc.name) private readonly model: Model<OversightItemDoc>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /**
   * Writes the refreshed signals and scores of each subject: new subjects become open items, known
   * ones keep their status, claim and decision (a decided item's signals are still brought up to
   * date, so the record shows what is known now).
   */
  async upsertScored(scored: readonly ScoredSubject[], now: Date): Promise<number> {
    if (scored.length === 0) return 0;
    const ops = scored.map(({ subject, signals, score, formula }) => ({
      updateOne: {
        filter: { subjectKind: subject.kind, subjectId: subject.id },
        update: {
          $set: {
            owner: subject.owner,
            traineeId: subject.owner.traineeId,
            programId: subject.owner.programId,
            institutionId: subject.owner.institutionId,
            regionCode: subject.owner.regionCode,
            userId: subject.owner.userId,
            enterpriseId: subject.owner.enterpriseId,
            classId: subject.owner.classId,
            sessionId: subject.sessionId,
            at: new Date(subject.at),
            signals: signals.map(storedSignal),
            codes: [...new Set(signals.map((s) => s.code))],
            score,
            formula,
            refreshedAt: now,
          },
          $setOnInsert: { status: 'open', createdAt: now },
        },
        upsert: true,
      },
    }));
    const res = await this.model.collection.bulkWrite(ops as never, { ordered: false, ignoreUndefined: true, session: activeSession(this.model.db) } as never);
    return res.upsertedCount + res.modifiedCount;
  }

  async page(scope: TenantScope, f: QueueFilter, skip: number, limit: number): Promise<{ items: OversightItem[]; total: number }> {
    const q: Record<string, unknown> = { ...scoped(scope) };
    if (f.programId) q.programId = f.programId;
    if (f.institutionId) q.institutionId = f.institutionId;
    if (f.enterpriseId) q.enterpriseId = f.enterpriseId;
    if (f.classId) q.classId = f.classId;
    if (f.signal) q.codes = f.signal;
    q.status = f.status ?? 'open';
    if (f.from || f.to) q.at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
    const [docs, total] = await Promise.all([this.model.find(q).sort({ score: -1, at: -1, _id: 1 }).skip(skip).limit(limit).lean<Lean[]>(), this.model.countDocuments(q)]);
    return { items: docs.map((d) => toItem({ ...d, signals: (d.signals as unknown as Signal[]).map((s) => ({ ...s })) } as Lean)), total };
  }

  async findById(scope: TenantScope, id: string): Promise<OversightItem | undefined> {
    if (!isId(id)) return undefined;
    const d = await this.model.findOne({ _id: new Types.ObjectId(id), ...scoped(scope) }).lean<Lean>();
    return d ? toItem(d) : undefined;
  }

  /** Takes the item for `by` unless someone else holds a claim that has not lapsed; answers the item as stored after. */
  async claim(scope: TenantScope, id: string, by: string, now: Date, until: Date): Promise<OversightItem | undefined> {
    const d = await this.model
      .findOneAndUpdate(
        { _id: new Types.ObjectId(id), ...scoped(scope), status: 'open', $or: [{ claim: { $exists: false } }, { claim: null }, { 'claim.by': by }, { 'claim.until': { $lte: now } }] },
        { $set: { claim: { by, at: now, until } } },
        { new: true },
      )
      .lean<Lean>();
    return d ? toItem(d) : undefined;
  }

  async release(scope: TenantScope, id: string, by: string): Promise<boolean> {
    const res = await this.model.updateOne({ _id: new Types.ObjectId(id), ...scoped(scope), 'claim.by': by }, { $unset: { claim: '' } });
    return res.modifiedCount === 1;
  }

  /** Records a decision on an item the caller holds; false when it is not (or no longer) theirs to decide. */
  async decide(scope: TenantScope, id: string, by: string, status: ItemStatus, decision: NonNullable<OversightItem['decision']>): Promise<boolean> {
    const res = await this.model.updateOne({ _id: new Types.ObjectId(id), ...scoped(scope), status: 'open', 'claim.by': by }, { $set: { status, decision }, $unset: { claim: '' } });
    return res.modifiedCount === 1;
  }

  /** A void undone by a second auditor or an appeal: the item goes back to open, the undoing on its decision. */
  async reopen(voidId: string, decision: NonNullable<OversightItem['decision']>): Promise<void> {
    await this.model.updateOne({ 'decision.voidId': voidId }, { $set: { status: 'open', decision } });
  }

  /** How many items of a scope there are, open, by score rank: what the top of the queue is. */
  async rankOf(scope: TenantScope, id: string): Promise<{ rank: number; total: number } | undefined> {
    const item = await this.findById(scope, id);
    if (!item) return undefined;
    const base = { ...scoped(scope), status: 'open' };
    const [above, total] = await Promise.all([this.model.countDocuments({ ...base, score: { $gt: item.score } }), this.model.countDocuments(base)]);
    return { rank: above + 1, total };
  }
}
