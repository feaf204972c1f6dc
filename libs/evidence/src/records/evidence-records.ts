import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuditActor, AuditChainStore, AuditTrail, AuditTx } from '@app/audit';
import type { TenantScope } from '@app/identity';
import { Clock, ClockToken } from '@app/platform';
import { BlobStore } from '@app/storage';
import { EvidenceSettings, EvidenceSettingsToken } from '../evidence-settings';
import { evidenceError } from '../evidence.errors';
import type { EvidenceRecord, NewEvidence } from './evidence-record.entity';
import { EVIDENCE_TARGET, evidenceAuditEntry, EvidenceRecordRepository } from './evidence-record.repository';
import { DeleteRefusal, deleteRefusal, retainUntilOf } from './retention';

const REFUSAL_CODES = { retained: 'EVIDENCE_RETAINED', held: 'EVIDENCE_HELD', 'kept-kind': 'EVIDENCE_KEPT_KIND' } as const satisfies Record<DeleteRefusal, string>;

/**
 * The evidence records' use cases. `record` runs inside the writer's own commit (a kiosk sign-in,
 * an enrolment), so the object's record and the change it backs commit together with their audit
 * entry, whose digest puts the record on the hash chain. Holds and disposals are commits of their own.
 */
@Injectable()
export class EvidenceRecords {
  constructor(
    private readonly repo: EvidenceRecordRepository,
    private readonly trail: AuditTrail,
    private readonly blobs: BlobStore,
    @Inject(EvidenceSettingsToken) private readonly settings: EvidenceSettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  retainUntil(occurredAt: Date, programYears?: number): Date {
    return retainUntilOf(occurredAt, { settingYears: this.settings.retentionYears, programYears });
  }

  /**
   * The record of an object just stored, in the caller's commit. A key is one object for ever: the
   * same object again (a retried request) returns the first record and records nothing.
   */
  async record(tx: AuditTx, e: NewEvidence): Promise<EvidenceRecord> {
    const first = await this.repo.findByKeyUnscoped(e.ref.key, tx);
    if (first) {
      if (first.sha256 !== e.ref.sha256) throw evidenceError('EVIDENCE_CONFLICT', { key: e.ref.key });
      return first;
    }
    const r = await this.repo.insert(
      tx,
      {
        key: e.ref.key,
        sha256: e.ref.sha256,
        size: e.ref.size,
        contentType: e.contentType,
        kind: e.kind,
        ownerId: e.ownerId,
        institutionId: e.institutionId,
        regionCode: e.regionCode,
        sessionId: e.sessionId,
        occurredAt: e.occurredAt,
        retainUntil: this.retainUntil(e.occurredAt, e.programYears),
      },
      new Date(this.clock.now()),
    );
    tx.record(evidenceAuditEntry('evidence.record', r));
    return r;
  }

  async find(scope: TenantScope, id: string): Promise<EvidenceRecord> {
    const r = await this.repo.findById(scope, id);
    if (!r) throw evidenceError('EVIDENCE_RECORD_NOT_FOUND', { id });
    return r;
  }

  /** 保全: a legal hold keeps the evidence past its retention until released. */
  async hold(actor: AuditActor, scope: TenantScope, id: string, reason: string): Promise<EvidenceRecord> {
    const why = reason?.trim();
    if (!why) throw evidenceError('EVIDENCE_HOLD_REASON_REQUIRED');
    const by = actor.kind === 'user' ? actor.id : 'system';
    const before = await this.find(scope, id);
    if (before.hold) return before;
    return this.trail.commit(actor, async (tx) => {
      const next = await this.repo.update(tx, id, { hold: { $exists: false }, status: 'kept' }, { hold: { reason: why, by, at: new Date(this.clock.now()) } });
      if (!next) throw evidenceError('EVIDENCE_RECORD_NOT_FOUND', { id });
      tx.record(evidenceAuditEntry('evidence.hold', next, { before: { hold: null }, reason: why }));
      return next;
    });
  }

  async release(actor: AuditActor, scope: TenantScope, id: string, reason: string): Promise<EvidenceRecord> {
    const why = reason?.trim();
    if (!why) throw evidenceError('EVIDENCE_HOLD_REASON_REQUIRED');
    return this.trail.commit(actor, async (tx) => {
      const current = await this.find(scope, id);
      if (!current.hold) throw evidenceError('EVIDENCE_NOT_HELD', { id });
      const next = await this.repo.update(tx, id, { 'hold.at': current.hold.at }, { hold: null });
      if (!next) throw evidenceError('EVIDENCE_RECORD_NOT_FOUND', { id });
      tx.record(evidenceAuditEntry('evidence.release', next, { before: { hold: current.hold }, reason: why }));
      return next;
    });
  }

  /**
   * Deletes the bytes of evidence whose retention is over and that no hold keeps; before that it is
   * refused with the reason's code (the storage adapter refuses too, on its own records). The record
   * stays, marked disposed: with its chain entry it is the tombstone (hash, dates, why).
   */
  async dispose(actor: AuditActor, scope: TenantScope, id: string, reason: string): Promise<EvidenceRecord> {
    const now = new Date(this.clock.now());
    const first = await this.find(scope, id);
    const disposed = first.status === 'disposed' ? first : await this.trail.commit(actor, async (tx) => {
      const current = await this.find(scope, id);
      const refusal = deleteRefusal(current, now);
      if (refusal) throw evidenceError(REFUSAL_CODES[refusal], { id, retainUntil: current.retainUntil });
      const next = await this.repo.update(tx, id, { status: 'kept', hold: { $exists: false } }, { status: 'disposed', disposedAt: now });
      if (!next) throw evidenceError('EVIDENCE_HELD', { id });
      tx.record(evidenceAuditEntry('evidence.dispose', next, { before: { status: 'kept' }, reason }));
      return next;
    });
    // After the tombstone commits: a failure here leaves a disposed record whose bytes the next expiry run removes.
    await this.blobs.delete(disposed.key);
    return disposed;
  }
}

/** Every audit verify compares the records with the digests their entries hold: an edited or removed record is found. */
@Injectable()
export class EvidenceDigests implements OnModuleInit {
  constructor(
    private readonly repo: EvidenceRecordRepository,
    private readonly chain: AuditChainStore,
  ) {}

  onModuleInit(): void {
    this.chain.registerDigestSource({ targetType: EVIDENCE_TARGET, label: '证据记录', entries: () => this.repo.digests() });
  }
}
