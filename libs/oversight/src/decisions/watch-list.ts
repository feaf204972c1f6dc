import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { auditActorOf, AuthUser, tenantScopeOf } from '@app/identity';
import { AppError, Clock, ClockToken } from '@app/platform';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import { oversightEntry, tenantOf } from '../oversight-audit';
import { oversightError } from '../oversight.errors';
import { DecisionRepository, WatchRecord } from '../persistence/decision.repository';
import { scopeFilter } from '@app/identity';

export interface WatchCommand {
  readonly kind: 'trainee' | 'institution';
  readonly targetId: string;
  readonly reason: string;
  /** Face checks this many times as often (2–10). */
  readonly factor?: number;
  readonly days?: number;
}

/**
 * Puts a trainee or an institution under watch (more frequent face checks: libs/study asks
 * {@link watchFactor} when it schedules a session's checks). The target must lie in the auditor's
 * jurisdiction: it is looked up through the queue's own scoped items first, so nobody can watch what
 * they cannot see.
 */
@Injectable()
export class WatchList {
  constructor(
    private readonly decisions: DecisionRepository,
    private readonly trail: AuditTrail,
    @InjectConnection() private readonly connection: Connection,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  private auditor(user: AuthUser) {
    if (user.role !== 'auditor' && user.role !== 'admin') throw AppError.of('FORBIDDEN', { reason: 'watch' });
    return tenantScopeOf(user);
  }

  /** The target's tenant keys, read within the caller's scope (trainees by their enterprise region, institutions by their own). */
  private async tenantOfTarget(user: AuthUser, cmd: WatchCommand): Promise<{ institutionId: string; regionCode: string; userId?: string } | undefined> {
    if (!/^[0-9a-f]{24}$/i.test(cmd.targetId)) return undefined;
    const scope = this.auditor(user);
    if (cmd.kind === 'trainee') {
      const filter = scopeFilter(scope, { institution: 'institutionId', region: 'enterpriseRegionCode', ids: 'objectId' });
      const t = await this.connection.collection('trainees').findOne({ _id: new Types.ObjectId(cmd.targetId), ...filter }, { projection: { institutionId: 1, enterpriseRegionCode: 1, userId: 1 } });
      return t ? { institutionId: String(t.institutionId), regionCode: String(t.enterpriseRegionCode), userId: t.userId ? String(t.userId) : undefined } : undefined;
    }
    const filter = scopeFilter(scope, { institution: '_id', region: 'regionCode', ids: 'objectId' });
    const o = await this.connection.collection('organisations').findOne({ _id: new Types.ObjectId(cmd.targetId), kind: 'institution', ...filter }, { projection: { regionCode: 1 } });
    return o ? { institutionId: cmd.targetId, regionCode: String(o.regionCode) } : undefined;
  }

  async watch(user: AuthUser, cmd: WatchCommand): Promise<WatchRecord> {
    const reason = typeof cmd.reason === 'string' ? cmd.reason.trim() : '';
    if (!reason) throw oversightError('REASON_REQUIRED');
    const factor = cmd.factor ?? 3;
    if (!Number.isInteger(factor) || factor < 2 || factor > 10 || (cmd.days !== undefined && !(cmd.days >= 1 && cmd.days <= 365))) throw oversightError('WATCH_INVALID');
    const tenant = await this.tenantOfTarget(user, cmd);
    if (!tenant) throw oversightError('WATCH_INVALID', { targetId: cmd.targetId });
    const at = new Date(this.clock.now());
    return this.trail.commit(auditActorOf(user), async (tx) => {
      const w = await this.decisions.setWatch({ kind: cmd.kind, targetId: cmd.targetId, ...tenant, reason, by: user.id, at, until: cmd.days ? new Date(at.getTime() + cmd.days * 86_400_000) : undefined, factor, active: true });
      tx.record(oversightEntry('oversight-watch.set', 'watch', w.id, tenantOf(tenant), { kind: cmd.kind, targetId: cmd.targetId, factor, until: w.until }, reason));
      return w;
    });
  }

  async end(user: AuthUser, id: string): Promise<WatchRecord> {
    const scope = this.auditor(user);
    return this.trail.commit(auditActorOf(user), async (tx) => {
      const w = await this.decisions.endWatch(scope, id, user.id, new Date(this.clock.now()));
      if (!w) throw oversightError('WATCH_NOT_FOUND');
      tx.record(oversightEntry('oversight-watch.end', 'watch', w.id, tenantOf(w), { kind: w.kind, targetId: w.targetId }));
      return w;
    });
  }

  list(user: AuthUser): Promise<WatchRecord[]> {
    return this.decisions.listWatch(this.auditor(user));
  }

  /** How many times as often to check the faces of this trainee now (1: not watched). */
  watchFactor(traineeId: string, institutionId: string): Promise<number> {
    return this.decisions.watchFactor(traineeId, institutionId, new Date(this.clock.now()));
  }
}

