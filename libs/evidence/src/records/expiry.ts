import type { TenantScope } from '@app/identity';
import { Clock } from '@app/platform';
import { SWEEP_ACTOR } from './integrity-sweep';
import { EvidenceRecordRepository } from './evidence-record.repository';
import { EvidenceRecords } from './evidence-records';
import { deleteRefusal } from './retention';

const BATCH = 200;
const REASON = '保存期限届满且未被保全，按个人信息保护法第十九条处置（保存期限不超过实现处理目的所必需的最短时间）';

/**
 * Disposition (issue 19 item 8): evidence whose retention has ended and that is not under a legal
 * hold is disposed through EvidenceRecords.dispose — which checks again inside its commit, and
 * whose storage adapter refuses on its own before retainUntil — leaving the record as the tombstone.
 * Kinds kept for ever (consent scans) are never touched.
 */
export class ExpireEvidence {
  constructor(
    private readonly repo: EvidenceRecordRepository,
    private readonly records: EvidenceRecords,
    private readonly clock: Clock,
    private readonly scope: TenantScope,
  ) {}

  async run(signal?: AbortSignal): Promise<{ disposed: number }> {
    let disposed = 0;
    const now = new Date(this.clock.now());
    const seen = new Set<string>();
    for (;;) {
      const due = (await this.repo.expiring(this.scope, now, BATCH)).filter((r) => !seen.has(r.id) && deleteRefusal(r, now) === undefined);
      if (due.length === 0 || signal?.aborted) return { disposed };
      for (const r of due) {
        seen.add(r.id);
        await this.records.dispose(SWEEP_ACTOR, this.scope, r.id, REASON);
        disposed++;
      }
    }
  }
}
