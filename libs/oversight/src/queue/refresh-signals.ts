import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { Clock, ClockToken, JobHandler, JobHandlerOf, JobOutcome, JobPayloads, JobResult } from '@app/platform';
import { FactSource } from '../facts/facts';
import { OversightSettings, OversightSettingsToken } from '../oversight-settings';
import { OVERSIGHT_TARGETS } from '../oversight-audit';
import { OversightItemRepository } from '../persistence/item.repository';
import { allSignals } from '../signals/all-signals';
import { scoreAll } from './scoring';

export const FactSourceToken = Symbol('OversightFactSource');

/** Items written per commit: one transaction stays small however large a day's data is. */
const CHUNK = 500;

/**
 * Recomputes every signal over the recent window (OVERSIGHT_REFRESH_WINDOW_DAYS) and writes the
 * queue. Safe to rerun: items are keyed by subject, decisions and claims are kept. Each chunk of
 * items commits with its record (`oversight.refresh`), so the queue's content is in the trail too.
 */
@Injectable()
export class RefreshSignals {
  constructor(
    @Inject(FactSourceToken) private readonly facts: FactSource,
    private readonly items: OversightItemRepository,
    private readonly trail: AuditTrail,
    @Inject(OversightSettingsToken) private readonly settings: OversightSettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async execute(opts: { windowDays?: number; requestedBy?: string } = {}): Promise<{ items: number; signals: number; ms: number }> {
    const started = this.clock.now();
    const windowMs = opts.windowDays ? opts.windowDays * 86_400_000 : this.settings.refreshWindowMs;
    const bundle = await this.facts.read({ since: started - windowMs, until: started + 60_000 });
    const signals = allSignals(bundle, this.settings);
    const scored = scoreAll(signals, this.settings.weights);
    const now = new Date(started);
    for (let i = 0; i < scored.length; i += CHUNK) {
      const chunk = scored.slice(i, i + CHUNK);
      await this.trail.commit({ kind: 'system', reason: opts.requestedBy ? `监管抽查信号刷新（由 ${opts.requestedBy} 发起）` : '监管抽查信号定时刷新' }, async (tx) => {
        await this.items.upsertScored(chunk, now);
        tx.record({ action: 'oversight.refresh', target: { type: OVERSIGHT_TARGETS.refresh, id: `${started}:${i / CHUNK}` }, tenant: {}, after: { items: chunk.length, from: i, of: scored.length } });
      });
    }
    return { items: scored.length, signals: signals.length, ms: this.clock.now() - started };
  }
}

@JobHandler('oversight.refresh')
export class OversightRefreshJob implements JobHandlerOf<'oversight.refresh'> {
  private readonly logger = new Logger('OversightRefresh');

  constructor(
    private readonly refresh: RefreshSignals,
    @Inject(OversightSettingsToken) private readonly settings: OversightSettings,
  ) {}

  everyMs(): number {
    return this.settings.refreshEveryMs;
  }

  async run(payload: JobPayloads['oversight.refresh']): Promise<JobOutcome<'oversight.refresh'>> {
    const result = await this.refresh.execute(payload ?? {});
    this.logger.log(`监管抽查信号刷新：${result.items} 项，${result.signals} 条信号，${result.ms} ms`);
    return JobResult.success(result);
  }
}
