import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { auditActorOf, AuthUser, tenantScopeOf } from '@app/identity';
import { AppError, Clock, ClockToken, JobQueue } from '@app/platform';
import { OversightSettings, OversightSettingsToken } from '../oversight-settings';
import { oversightEntry, tenantOf } from '../oversight-audit';
import { oversightError } from '../oversight.errors';
import { OversightItem, OversightItemRepository, QueueFilter } from '../persistence/item.repository';

/** Only auditors and administrators work the queue; institutions and trainees never see it. */
function auditorScope(user: AuthUser) {
  if (user.role !== 'auditor' && user.role !== 'admin') throw AppError.of('FORBIDDEN', { reason: 'oversight-queue' });
  return tenantScopeOf(user);
}

/** The ranked spot-check queue of the caller's jurisdiction: reading, claiming, confirming, refreshing. */
@Injectable()
export class OversightQueue {
  constructor(
    private readonly items: OversightItemRepository,
    private readonly trail: AuditTrail,
    private readonly jobs: JobQueue,
    @Inject(OversightSettingsToken) private readonly settings: OversightSettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  page(user: AuthUser, filter: QueueFilter, page: number, pageSize: number): Promise<{ items: OversightItem[]; total: number }> {
    return this.items.page(auditorScope(user), filter, (page - 1) * pageSize, pageSize);
  }

  async get(user: AuthUser, id: string): Promise<OversightItem & { rank: number; total: number }> {
    const scope = auditorScope(user);
    const item = await this.items.findById(scope, id);
    if (!item) throw oversightError('ITEM_NOT_FOUND');
    const rank = (await this.items.rankOf(scope, id)) ?? { rank: 0, total: 0 };
    return { ...item, ...rank };
  }

  /** Claims the item for the caller (or renews their claim) for OVERSIGHT_CLAIM_MINUTES. */
  async claim(user: AuthUser, id: string): Promise<OversightItem> {
    const scope = auditorScope(user);
    const item = await this.items.findById(scope, id);
    if (!item) throw oversightError('ITEM_NOT_FOUND');
    if (item.status !== 'open') throw oversightError('ITEM_DECIDED');
    const now = new Date(this.clock.now());
    return this.trail.commit(auditActorOf(user), async (tx) => {
      const claimed = await this.items.claim(scope, id, user.id, now, new Date(now.getTime() + this.settings.claimMs));
      if (!claimed) throw oversightError('ITEM_CLAIMED');
      tx.record(oversightEntry('oversight-item.claim', 'item', id, tenantOf(item.subject.owner), { until: claimed.claim!.until }));
      return claimed;
    });
  }

  async release(user: AuthUser, id: string): Promise<OversightItem> {
    const scope = auditorScope(user);
    const item = await this.items.findById(scope, id);
    if (!item) throw oversightError('ITEM_NOT_FOUND');
    return this.trail.commit(auditActorOf(user), async (tx) => {
      if (!(await this.items.release(scope, id, user.id))) throw oversightError('ITEM_NOT_CLAIMED');
      tx.record(oversightEntry('oversight-item.release', 'item', id, tenantOf(item.subject.owner)));
      return (await this.items.findById(scope, id))!;
    });
  }

  /** Looked at and found in order: the item leaves the queue, its signals kept. */
  async confirm(user: AuthUser, id: string, note: string | undefined): Promise<OversightItem> {
    const scope = auditorScope(user);
    const item = await this.items.findById(scope, id);
    if (!item) throw oversightError('ITEM_NOT_FOUND');
    if (item.status !== 'open') throw oversightError('ITEM_DECIDED');
    const reason = note?.trim() || '核查无异常';
    return this.trail.commit(auditActorOf(user), async (tx) => {
      const ok = await this.items.decide(scope, id, user.id, 'confirmed', { kind: 'confirm', by: user.id, at: new Date(this.clock.now()), reason });
      if (!ok) throw oversightError('ITEM_NOT_CLAIMED');
      tx.record(oversightEntry('oversight-item.confirm', 'item', id, tenantOf(item.subject.owner), { score: item.score, codes: item.codes }, reason));
      return (await this.items.findById(scope, id))!;
    });
  }

  /** Puts a signal refresh on the job queue (durable: it runs even if this process stops). */
  async requestRefresh(user: AuthUser): Promise<{ jobId: string }> {
    auditorScope(user);
    const id = this.jobs.newId();
    await this.trail.commit(auditActorOf(user), async (tx) => {
      tx.record(oversightEntry('oversight.refresh.request', 'refresh', id, user.regionCode ? { regionCode: user.regionCode } : {}));
    });
    await this.jobs.enqueue('oversight.refresh', { requestedBy: user.id }, { id });
    return { jobId: id };
  }

  async refreshStatus(user: AuthUser, jobId: string): Promise<{ status: string; result?: { items: number; signals: number; ms: number } }> {
    auditorScope(user);
    const job = await this.jobs.findById('oversight.refresh', jobId);
    if (!job) throw AppError.of('NOT_FOUND');
    return { status: job.status, result: job.result };
  }
}
