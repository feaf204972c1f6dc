import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditActor, AuditChainStore, AuditTrail } from '@app/audit';
import { isDuplicateKey } from '@app/platform';
import type { TenantScope } from '@app/identity';
import type { AppendResult, LedgerEntry, NewCreditEntry } from './ledger-entry.entity';
import { ledgerError } from './ledger.errors';
import { compensationKey, LEDGER_TARGET, LedgerRepository, restorationKey } from './ledger.repository';


/** A write found already made inside the commit (a racing twin won): nothing to record, so the commit is abandoned. */
class AlreadyWritten {
  constructor(readonly result: AppendResult) {}
}

const createdOrAbandon = (r: AppendResult): AppendResult => {
  if (!r.created) throw new AlreadyWritten(r);
  return r;
};

/**
 * Ledger writes as use cases of their own (an offline attendance credit, an auditor's void): each
 * one commits with its audit record. A retry of a write already made answers the first entry and
 * commits nothing; two racing on one key make one entry — the loser's commit fails on the unique
 * index and finds the winner's. Writes that belong to another use case's change (a study session
 * settling) call the repository inside that commit instead.
 */
@Injectable()
export class LedgerBook implements OnModuleInit {
  constructor(
    private readonly repo: LedgerRepository,
    private readonly trail: AuditTrail,
    private readonly chain: AuditChainStore,
  ) {}

  /** From now on every verify compares the ledger with the digests its records hold. */
  onModuleInit(): void {
    this.chain.registerDigestSource({ targetType: LEDGER_TARGET, label: '学时台账', entries: () => this.repo.digests() });
  }

  credit(actor: AuditActor, entry: NewCreditEntry): Promise<AppendResult> {
    return this.once(() => this.repo.findCredit(entry), () => this.trail.commit(actor, async (tx) => createdOrAbandon(await this.repo.append(tx, entry))));
  }

  /** Undoes a credit (within `scope`) by its negation, once per entry, with the reason on the record. */
  compensate(actor: AuditActor, scope: TenantScope, entryId: string, reason: string, at?: Date): Promise<AppendResult> {
    const by = actor.kind === 'user' ? actor.id : 'system';
    return this.once(() => this.repo.findByKey(compensationKey(entryId)), () => this.trail.commit(actor, async (tx) => createdOrAbandon(await this.repo.compensate(tx, scope, entryId, reason, by, at))));
  }

  /** Undoes a compensation (a reversed void, an upheld appeal), once; `links` name what decided it. */
  restore(actor: AuditActor, scope: TenantScope, compensationId: string, reason: string, links: readonly string[] = [], at?: Date): Promise<AppendResult> {
    const by = actor.kind === 'user' ? actor.id : 'system';
    return this.once(() => this.repo.findByKey(restorationKey(compensationId)), () => this.trail.commit(actor, async (tx) => createdOrAbandon(await this.repo.restore(tx, scope, compensationId, reason, by, links, at))));
  }

  private async once(findFirst: () => Promise<LedgerEntry | undefined>, write: () => Promise<AppendResult>): Promise<AppendResult> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const first = await findFirst();
      if (first) return { entry: first, created: false };
      try {
        return await write();
      } catch (e) {
        if (e instanceof AlreadyWritten) return e.result;
        if (!isDuplicateKey(e)) throw e;
      }
    }
    // A duplicate key twice over, yet no first write to be found: the key's entry is being removed under us.
    throw ledgerError('IDEMPOTENCY_KEY_REUSED');
  }
}
