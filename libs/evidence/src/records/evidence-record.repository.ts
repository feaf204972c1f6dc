import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AuditEntry, AuditTx, contentHash } from '@app/audit';
import type { TenantScope } from '@app/identity';
import { isValidObjectId, Model, Types } from 'mongoose';
import type { EvidenceRecord, Integrity } from './evidence-record.entity';
import { EvidenceRecordDoc } from './evidence-record.schema';
import type { EvidenceKind, Hold } from './retention';

type Lean = EvidenceRecordDoc & { _id: Types.ObjectId };

/** The audit records' target type for evidence records: verify compares each record with its digest. */
export const EVIDENCE_TARGET = 'evidence-record';

function toRecord(d: Lean): EvidenceRecord {
  return {
    id: d._id.toHexString(),
    key: d.key,
    sha256: d.sha256,
    size: d.size,
    contentType: d.contentType,
    kind: d.kind,
    ownerId: d.ownerId ?? undefined,
    institutionId: d.institutionId ?? undefined,
    regionCode: d.regionCode ?? undefined,
    sessionId: d.sessionId ?? undefined,
    occurredAt: d.occurredAt,
    retainUntil: d.retainUntil,
    hold: d.hold ?? undefined,
    status: d.status,
    disposedAt: d.disposedAt ?? undefined,
    createdAt: d.createdAt,
    lastVerifiedAt: d.lastVerifiedAt ?? undefined,
    integrity: d.integrity ?? undefined,
  };
}

/**
 * What the chain vouches for: everything but the sweep's bookkeeping (when it last looked) and the
 * insert time. Editing the hash, the dates or the hold in the database, or deleting the record,
 * is found by the audit verify.
 */
export function evidenceDigest(r: EvidenceRecord): string {
  const { id, key, sha256, size, contentType, kind, ownerId, institutionId, regionCode, sessionId, occurredAt, retainUntil, hold, status, disposedAt } = r;
  return contentHash({ id, key, sha256, size, contentType, kind, ownerId, institutionId, regionCode, sessionId, occurredAt, retainUntil, hold, status, disposedAt });
}

export function evidenceAuditEntry(action: string, r: EvidenceRecord, extra: Pick<AuditEntry, 'before' | 'reason'> = {}): AuditEntry {
  return {
    action,
    target: { type: EVIDENCE_TARGET, id: r.id },
    tenant: { institutionId: r.institutionId, regionCode: r.regionCode },
    after: { kind: r.kind, key: r.key, sha256: r.sha256, size: r.size, sessionId: r.sessionId, retainUntil: r.retainUntil, hold: r.hold, status: r.status },
    digest: evidenceDigest(r),
    ...extra,
  };
}

/**
 * Evidence records are reached through a scope, like every tenant's data. This context sits below
 * identity (identity stores its face photos here), so it cannot use identity's scopeFilter at run
 * time; the mapping is the same: institution → its rows, jurisdiction → region prefix, all → all,
 * a trainee's own scope → none (trainees do not browse evidence records).
 */
export function evidenceScopeFilter(scope: TenantScope): Record<string, unknown> {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'institution':
      return { institutionId: scope.institutionId };
    case 'jurisdiction':
      if (!/^\d{1,6}$/.test(scope.regionPrefix)) throw new RangeError('region prefix must be digits');
      return { regionCode: { $regex: `^${scope.regionPrefix}` } };
    case 'self':
      return { _id: { $exists: false } };
  }
}

@Injectable()
export class EvidenceRecordRepository implements OnModuleInit {
  constructor(@InjectModel(EvidenceRecordDoc.name) private readonly model: Model<EvidenceRecordDoc>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  async findByKeyUnscoped(key: string, tx?: AuditTx): Promise<EvidenceRecord | undefined> {
    const q = this.model.findOne({ key });
    if (tx) q.session(tx.session);
    const doc = await q.lean<Lean>();
    return doc ? toRecord(doc) : undefined;
  }

  /** Inserts inside the caller's commit; the caller records it. */
  async insert(tx: AuditTx, r: Omit<EvidenceRecord, 'id' | 'createdAt' | 'status'>, now: Date): Promise<EvidenceRecord> {
    const [created] = await this.model.create([{ ...r, status: 'kept', createdAt: now }], { session: tx.session });
    return toRecord(created.toObject() as Lean);
  }

  async findById(scope: TenantScope, id: string): Promise<EvidenceRecord | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findOne({ _id: new Types.ObjectId(id), ...evidenceScopeFilter(scope) }).lean<Lean>();
    return doc ? toRecord(doc) : undefined;
  }

  async listBySession(scope: TenantScope, sessionId: string, kind?: EvidenceKind): Promise<EvidenceRecord[]> {
    const filter: Record<string, unknown> = { sessionId, ...evidenceScopeFilter(scope) };
    if (kind) filter.kind = kind;
    const docs = await this.model.find(filter).sort({ createdAt: 1, _id: 1 }).lean<Lean[]>();
    return docs.map(toRecord);
  }

  async findBySha256(scope: TenantScope, sha256: string, kind: EvidenceKind): Promise<EvidenceRecord[]> {
    const docs = await this.model.find({ sha256, kind, ...evidenceScopeFilter(scope) }).lean<Lean[]>();
    return docs.map(toRecord);
  }

  /** Kept records whose retention ends before `to` (the 90-day list, the expiry job). */
  async expiring(scope: TenantScope, to: Date, limit = 500): Promise<EvidenceRecord[]> {
    const docs = await this.model.find({ status: 'kept', retainUntil: { $lt: to }, ...evidenceScopeFilter(scope) }).sort({ retainUntil: 1, _id: 1 }).limit(limit).lean<Lean[]>();
    return docs.map(toRecord);
  }

  /** Kept records, least recently verified first (never verified before any). */
  async dueForVerify(limit: number): Promise<EvidenceRecord[]> {
    const docs = await this.model.find({ status: 'kept' }).sort({ lastVerifiedAt: 1, _id: 1 }).limit(limit).lean<Lean[]>();
    return docs.map(toRecord);
  }

  async problems(scope: TenantScope, limit = 100): Promise<EvidenceRecord[]> {
    const docs = await this.model.find({ status: 'kept', integrity: { $in: ['mismatch', 'missing'] }, ...evidenceScopeFilter(scope) }).limit(limit).lean<Lean[]>();
    return docs.map(toRecord);
  }

  async countProblems(): Promise<{ mismatch: number; missing: number }> {
    const [mismatch, missing] = await Promise.all([this.model.countDocuments({ status: 'kept', integrity: 'mismatch' }), this.model.countDocuments({ status: 'kept', integrity: 'missing' })]);
    return { mismatch, missing };
  }

  /** The sweep's finding: bookkeeping, not a change to the evidence (outside the digest). */
  async markVerified(id: string, at: Date, integrity: Integrity): Promise<void> {
    await this.model.updateOne({ _id: new Types.ObjectId(id) }, { $set: { lastVerifiedAt: at, integrity } });
  }

  /** Changes vouched-for fields inside the caller's commit, guarded by the fields' current values. */
  async update(tx: AuditTx, id: string, expect: Record<string, unknown>, set: { hold?: Hold | null; status?: 'disposed'; disposedAt?: Date }): Promise<EvidenceRecord | undefined> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const [k, v] of Object.entries(set)) {
      if (v === null) $unset[k] = '';
      else if (v !== undefined) $set[k] = v;
    }
    const doc = await this.model
      .findOneAndUpdate({ _id: new Types.ObjectId(id), ...expect }, { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) }, { new: true, session: tx.session })
      .lean<Lean>();
    return doc ? toRecord(doc) : undefined;
  }

  async *digests(): AsyncIterable<{ id: string; digest: string }> {
    for await (const doc of this.model.find({}).lean<Lean>().cursor({ batchSize: 2000 })) {
      const r = toRecord(doc as unknown as Lean);
      yield { id: r.id, digest: evidenceDigest(r) };
    }
  }

  async *allKept(): AsyncIterable<EvidenceRecord> {
    for await (const doc of this.model.find({ status: 'kept' }).lean<Lean>().cursor({ batchSize: 500 })) yield toRecord(doc as unknown as Lean);
  }
}
