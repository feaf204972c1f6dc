import { Injectable } from '@nestjs/common';
import { LedgerRepository } from '@app/ledger';
import { RuleSetRepository } from '../persistence/rule-set.repository';
import { VerdictRepository } from '../persistence/verdict.repository';
import { JudgeTrainees } from './judge-trainees';

/** Ledger entries commit up to this long after their creation time (a transaction in flight). */
export const LEDGER_SLACK_MS = 10_000;
const LEDGER_MARK = 'ledger.createdAt';
const BATCH = 1000;

/**
 * Keeps verdicts current: trainees with ledger entries since the last sweep, trainees marked dirty
 * (an exam result), and trainees judged by an older rule-set version than the program's current.
 */
@Injectable()
export class SweepVerdicts {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly verdicts: VerdictRepository,
    private readonly ruleSets: RuleSetRepository,
    private readonly judge: JudgeTrainees,
  ) {}

  async execute(): Promise<{ judged: number; changed: number }> {
    let judged = 0;
    let changed = 0;
    const run = async (ids: string[]) => {
      for (let i = 0; i < ids.length; i += BATCH) {
        const r = await this.judge.execute(ids.slice(i, i + BATCH));
        judged += r.judged;
        changed += r.changed;
      }
    };
    const mark = await this.verdicts.watermark(LEDGER_MARK);
    const since = new Date(mark ? Date.parse(mark) - LEDGER_SLACK_MS : 0);
    const touched = await this.ledger.traineesChangedSince(since);
    await run(touched.map((t) => t.traineeId));
    if (touched.length) await this.verdicts.setWatermark(LEDGER_MARK, touched[touched.length - 1].latest.toISOString());

    const takenAt = new Date();
    const dirty = await this.verdicts.takeDirty(BATCH * 10);
    await run(dirty);
    await this.verdicts.clearDirty(dirty, takenAt);

    for (const rs of await this.ruleSets.currentAll()) await run(await this.verdicts.staleForProgram(rs.programId, rs.version, BATCH * 10));
    return { judged, changed };
  }
}
