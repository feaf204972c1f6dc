import { AuditActor, AuditTrail } from '@app/audit';
import { AppError, Clock } from '@app/platform';
import { EvidenceStore } from '../evidence-store';
import type { EvidenceRecord, Integrity } from './evidence-record.entity';
import { evidenceAuditEntry, EvidenceRecordRepository } from './evidence-record.repository';

export const SWEEP_ACTOR: AuditActor = { kind: 'system', reason: '证据完整性巡检 evidence integrity sweep' };
const BATCH = 100;

export interface SweepResult {
  checked: number;
  bytes: number;
  mismatch: number;
  missing: number;
}

/** What a failed read says about the object: only the store's own two findings count, anything else is an outage. */
function findingOf(e: unknown): Integrity | undefined {
  if (e instanceof AppError && e.code === 'EVIDENCE_TAMPERED') return 'mismatch';
  if (e instanceof AppError && e.code === 'EVIDENCE_NOT_FOUND') return 'missing';
  return undefined;
}

/**
 * One pass over the kept evidence (issue 19 item 7): every object read back and hashed against its
 * record, least recently verified first, at no more than `mbPerSecond` so that a sweep of years of
 * recordings never starves the disk the API serves from. Each object's last verification is noted
 * on its record; a new mismatch or missing object is written to the audit trail under the record's
 * tenant, where the region's auditors see it (and /health counts it).
 */
export class IntegritySweep {
  constructor(
    private readonly repo: EvidenceRecordRepository,
    private readonly store: EvidenceStore,
    private readonly trail: AuditTrail,
    private readonly clock: Clock,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async run(mbPerSecond: number, signal?: AbortSignal, progress?: (r: SweepResult) => Promise<unknown>): Promise<SweepResult> {
    const started = this.clock.now();
    const r: SweepResult = { checked: 0, bytes: 0, mismatch: 0, missing: 0 };
    const bytesPerMs = (mbPerSecond * 1024 * 1024) / 1000;
    for (;;) {
      // Least recently verified first; once they were all seen in this pass, stop.
      const due = (await this.repo.dueForVerify(BATCH)).filter((x) => !x.lastVerifiedAt || x.lastVerifiedAt.getTime() < started);
      if (due.length === 0 || signal?.aborted) return r;
      for (const record of due) {
        if (signal?.aborted) return r;
        const found = await this.check(record);
        r.checked++;
        r.bytes += record.size;
        if (found === 'mismatch') r.mismatch++;
        if (found === 'missing') r.missing++;
        const ahead = r.bytes / bytesPerMs - (this.clock.now() - started);
        if (ahead > 0) await this.sleep(ahead);
      }
      await progress?.(r);
    }
  }

  private async check(record: EvidenceRecord): Promise<Integrity> {
    let found: Integrity = 'ok';
    try {
      await this.store.verify({ key: record.key, sha256: record.sha256, size: record.size });
    } catch (e) {
      const f = findingOf(e);
      if (!f) throw e;
      found = f;
    }
    const at = new Date(this.clock.now());
    if (found !== 'ok' && record.integrity !== found) {
      await this.trail.commit(SWEEP_ACTOR, async (tx) => {
        await this.repo.markVerified(record.id, at, found);
        tx.record(evidenceAuditEntry(found === 'mismatch' ? 'evidence.integrity-mismatch' : 'evidence.integrity-missing', record));
      });
    } else await this.repo.markVerified(record.id, at, found);
    return found;
  }
}
