import { Inject, Logger, OnModuleInit } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { systemScope } from '@app/identity';
import { Clock, ClockToken, HealthRegistry, JobContext, JobHandler, JobHandlerOf, JobOutcome, JobQueue, JobResult } from '@app/platform';
import { EvidenceRecordRepository, EvidenceRecords, EvidenceSettings, EvidenceSettingsToken, EvidenceStore, ExpireEvidence, IntegritySweep } from '@app/evidence';

/**
 * The recurring `evidence.sweep` job (every EVIDENCE_SWEEP_INTERVAL_HOURS): disposition of what
 * has expired (records/expiry.ts), then the integrity sweep (at most EVIDENCE_SWEEP_MB_PER_SECOND); and /health's `evidence` entry: the last sweep and the objects
 * currently found altered or missing. A finding does not take the API down (it still serves
 * everything else): it is reported, and audited for the auditors. It lives here, not in libs/evidence:
 * that context sits below identity (no systemScope there), and this one is loaded exactly by the
 * processes that run jobs (the API and the worker).
 */
@JobHandler('evidence.sweep')
export class EvidenceSweepJob implements JobHandlerOf<'evidence.sweep'>, OnModuleInit {
  private readonly logger = new Logger('EvidenceSweep');
  private readonly sweep: IntegritySweep;
  private readonly expiry: ExpireEvidence;

  constructor(
    private readonly repo: EvidenceRecordRepository,
    store: EvidenceStore,
    records: EvidenceRecords,
    trail: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly health: HealthRegistry,
    @Inject(EvidenceSettingsToken) private readonly settings: EvidenceSettings,
    @Inject(ClockToken) clock: Clock,
  ) {
    this.sweep = new IntegritySweep(repo, store, trail, clock);
    this.expiry = new ExpireEvidence(repo, records, clock, systemScope('证据处置：保存期限届满的证据'));
  }

  onModuleInit(): void {
    this.health.register('evidence', async () => {
      const [last] = await this.jobs.list('evidence.sweep', {}, 1);
      const problems = await this.repo.countProblems();
      return { evidence: { status: 'up' as const, lastSweep: last?.finishedAt ? { at: last.finishedAt, outcome: last.lastOutcome, result: last.result } : null, ...problems } };
    });
  }

  everyMs(): number {
    return this.settings.sweepIntervalHours * 3600_000;
  }

  async run(_payload: Record<string, never>, ctx: JobContext<'evidence.sweep'>): Promise<JobOutcome<'evidence.sweep'>> {
    // Disposition first: what has just expired is not worth reading back.
    const { disposed } = await this.expiry.run(ctx.signal);
    if (disposed > 0) this.logger.log(`已处置保存期限届满的证据 ${disposed} 件 (disposed)`);
    const r = await this.sweep.run(this.settings.sweepMbPerSecond, ctx.signal, (p) => ctx.progress(0, { ...p }));
    if (r.mismatch + r.missing > 0) this.logger.warn(`证据巡检发现问题 (evidence sweep): ${r.mismatch} 个被改动, ${r.missing} 个缺失`);
    return JobResult.success({ ...r, disposed });
  }
}
