import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { auditActorOf, AuthUser, tenantScopeOf } from '@app/identity';
import { LedgerRepository } from '@app/ledger';
import { AppError, Clock, ClockToken, isDuplicateKey } from '@app/platform';
import { oversightEntry, tenantOf } from '../oversight-audit';
import { oversightError } from '../oversight.errors';
import { DecisionRepository, VoidRecord } from '../persistence/decision.repository';
import { OversightItemRepository } from '../persistence/item.repository';
import { affectedCredits, scopeFor, VOID_SCOPE_KINDS, VoidScopeKind, voidKey, VOID_SCOPE_NAMES } from './void-scope';

export interface VoidResult {
  readonly void: VoidRecord;
  /** False when the same scope had been voided already: the first void is answered, nothing changed. */
  readonly created: boolean;
}

const reasonOf = (reason: unknown) => {
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 2000) throw oversightError('REASON_REQUIRED');
  return reason.trim();
};

export const voidLink = (voidId: string) => `oversight-void:${voidId}`;

function auditorOnly(user: AuthUser) {
  if (user.role !== 'auditor' && user.role !== 'admin') throw AppError.of('FORBIDDEN', { reason: 'oversight-void' });
  return tenantScopeOf(user);
}

/**
 * Voids credit: compensating ledger entries for exactly the scope's credited seconds (a session, a
 * day, a class session, all of a trainee's credit at one institution), the void record and the
 * item's decision, in one audit commit. One void per scope (unique key): repeating it answers the
 * first and changes nothing. A void is undone only by a second auditor — {@link reverse} here, or
 * an upheld appeal — by restoring each compensation, linked to the void.
 */
@Injectable()
export class VoidCredit {
  constructor(
    private readonly items: OversightItemRepository,
    private readonly decisions: DecisionRepository,
    private readonly ledger: LedgerRepository,
    private readonly trail: AuditTrail,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async execute(user: AuthUser, itemId: string, kind: VoidScopeKind, reasonText: string): Promise<VoidResult> {
    const scope = auditorOnly(user);
    const reason = reasonOf(reasonText);
    if (!(VOID_SCOPE_KINDS as readonly string[]).includes(kind)) throw oversightError('VOID_SCOPE_INVALID');
    const item = await this.items.findById(scope, itemId);
    if (!item) throw oversightError('ITEM_NOT_FOUND');
    const voidScope = scopeFor(item.subject, kind);
    if (!voidScope) throw oversightError('VOID_SCOPE_INVALID', { kind });
    const key = voidKey(voidScope);
    const first = await this.decisions.voidByKey(key);
    if (first) return { void: first, created: false };
    if (item.status !== 'open') throw oversightError('ITEM_DECIDED');
    if (item.claim?.by !== user.id || item.claim.until.getTime() <= this.clock.now()) throw oversightError(item.claim && item.claim.until.getTime() > this.clock.now() ? 'ITEM_CLAIMED' : 'ITEM_NOT_CLAIMED');
    const at = new Date(this.clock.now());
    const fullReason = `${VOID_SCOPE_NAMES[kind]}作废：${reason}`;
    try {
      return await this.trail.commit(auditActorOf(user), async (tx) => {
        const credits = affectedCredits(await this.ledger.listForTrainee(scope, voidScope.traineeId), voidScope);
        if (credits.length === 0) throw oversightError('VOID_NOTHING');
        const entries = [];
        for (const c of credits) {
          const { entry } = await this.ledger.compensate(tx, scope, c.id, fullReason, user.id, at);
          entries.push({ creditId: c.id, compensationId: entry.id, seconds: c.seconds, source: c.source });
        }
        const owner = credits[0];
        const record = await this.decisions.insertVoid({
          key,
          scope: voidScope,
          itemId,
          traineeId: voidScope.traineeId,
          programId: owner.programId,
          institutionId: owner.institutionId,
          regionCode: owner.regionCode,
          userId: owner.userId,
          reason,
          by: user.id,
          at,
          entries,
          seconds: entries.reduce((s, e) => s + e.seconds, 0),
          status: 'active',
        });
        if (!(await this.items.decide(scope, itemId, user.id, 'voided', { kind: 'void', by: user.id, at, reason, voidId: record.id }))) throw oversightError('ITEM_NOT_CLAIMED');
        tx.record(oversightEntry('oversight.void', 'void', record.id, tenantOf(owner), { scope: voidScope, itemId, seconds: record.seconds, entries: entries.length, traineeId: voidScope.traineeId }, reason));
        return { void: record, created: true };
      });
    } catch (e) {
      // Two auditors voiding one scope at once: the loser answers the winner's void.
      if (!isDuplicateKey(e)) throw e;
      const winner = await this.decisions.voidByKey(key);
      if (!winner) throw e;
      return { void: winner, created: false };
    }
  }

  /** A second auditor reverses a void: each compensation is restored, linked to the void. */
  async reverse(user: AuthUser, voidId: string, reasonText: string): Promise<VoidRecord> {
    const scope = auditorOnly(user);
    const reason = reasonOf(reasonText);
    const v = await this.decisions.findVoid(scope, voidId);
    if (!v) throw oversightError('VOID_NOT_FOUND');
    if (v.by === user.id) throw oversightError('SAME_AUDITOR');
    if (v.status !== 'active') throw oversightError('VOID_NOT_ACTIVE');
    return this.trail.commit(auditActorOf(user), async (tx) => {
      const restorations = await this.restoreAll(tx, scope, v, `撤销作废：${reason}`, user.id, [voidLink(v.id)]);
      const undone = { kind: 'reversed' as const, by: user.id, at: new Date(this.clock.now()), reason, restorations };
      if (!(await this.decisions.undoVoid(v.id, undone))) throw oversightError('VOID_NOT_ACTIVE');
      await this.items.reopen(v.id, { kind: 'void-reversed', by: user.id, at: undone.at, reason, voidId: v.id });
      tx.record(oversightEntry('oversight.void.reverse', 'void', v.id, tenantOf(v), { seconds: v.seconds, restorations: restorations.length, voidedBy: v.by }, reason));
      return { ...v, status: 'reversed', undone };
    });
  }

  /** Restores every compensation of a void inside the caller's commit; used by reversals and upheld appeals. */
  async restoreAll(tx: Parameters<Parameters<AuditTrail['commit']>[1]>[0], scope: ReturnType<typeof tenantScopeOf>, v: VoidRecord, reason: string, by: string, links: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const e of v.entries) out.push((await this.ledger.restore(tx, scope, e.compensationId, reason, by, links, new Date(this.clock.now()))).entry.id);
    return out;
  }
}
