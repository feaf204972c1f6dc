import { Injectable } from '@nestjs/common';
import type { AuditTx } from '@app/audit';
import type { StoredVerdict } from '../persistence/verdict.repository';

export interface VerdictChange {
  readonly before?: StoredVerdict;
  readonly after: StoredVerdict;
}

export type VerdictObserver = (tx: AuditTx, changes: readonly VerdictChange[]) => Promise<void>;

/**
 * Contexts that act on a verdict's change inside the same commit (certificates revoke when a
 * trainee stops being compliant), without compliance importing them.
 */
@Injectable()
export class VerdictObservers {
  private readonly observers: VerdictObserver[] = [];

  register(observer: VerdictObserver): void {
    this.observers.push(observer);
  }

  async notify(tx: AuditTx, changes: readonly VerdictChange[]): Promise<void> {
    for (const o of this.observers) await o(tx, changes);
  }
}
