import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditTrail, contentHash } from '@app/audit';
import { systemScope, traineeTenant, TraineeRepository } from '@app/identity';
import { Clock, ClockToken } from '@app/platform';
import { ProgramRepository } from '@app/catalog';
import { judge, Verdict } from '../rules/verdict';
import { StoredInputs, StoredVerdict, VerdictRepository, VerdictWrite } from '../persistence/verdict.repository';
import { JudgeCase, VerdictInputs } from './verdict-inputs';
import { VerdictChange, VerdictObservers } from './verdict-observers';

export const VERDICT_ACTOR: AuditActor = { kind: 'system', reason: '合规判定：学时、考试或规则集变化后重新判定 (compliance verdicts)' };
export const VERDICT_TARGET = 'compliance-verdict';

/** Verdicts written per commit: one audit record each, one transaction per chunk. */
const CHUNK = 100;

export function storedInputsOf(c: JudgeCase): StoredInputs {
  const { ruleSet, now, exams, ...rest } = c.input;
  return { ...rest, ruleSetVersion: ruleSet.version, exams: exams.map((e) => ({ score: e.score, at: e.at.toISOString() })), now: now.toISOString() };
}

/** What decides whether a verdict changed: its inputs (but not the clock) and its outcome. */
function hashOf(inputs: StoredInputs, v: Verdict): string {
  const { now: _now, ...rest } = inputs;
  void _now;
  return contentHash({ inputs: rest, status: v.status, reasons: v.reasons.map((r) => r.code) });
}

export interface JudgeOutcome {
  readonly judged: number;
  readonly changed: number;
  readonly changes: readonly { traineeId: string; from?: string; to: string }[];
}

/**
 * Judges trainees again and stores each verdict whose inputs or outcome changed, with its audit
 * record and whatever observers (certificates) do about it, in one commit per chunk. A verdict
 * whose inputs are the same as stored is left alone: re-running is free and writes nothing.
 */
@Injectable()
export class JudgeTrainees {
  constructor(
    private readonly inputs: VerdictInputs,
    private readonly verdicts: VerdictRepository,
    private readonly trainees: TraineeRepository,
    private readonly observers: VerdictObservers,
    private readonly trail: AuditTrail,
    @Inject(ClockToken) private readonly clock: Clock,
    private readonly programs: ProgramRepository,
  ) {}

  async execute(traineeIds: readonly string[]): Promise<JudgeOutcome> {
    const now = new Date(this.clock.now());
    const cases = await this.inputs.load(traineeIds, now);
    const scope = systemScope('合规判定 (compliance verdicts)');
    const existing = new Map((await this.verdicts.findByTrainees(scope, cases.map((c) => c.trainee.id))).map((v) => [v.traineeId, v]));
    const duplicates = await this.trainees.samePeopleElsewhere(scope, cases.map((c) => c.trainee));
    const codes = duplicates.size ? new Map((await this.programs.list()).map((p) => [p.id, p.code])) : new Map<string, string>();
    const writes: { before?: StoredVerdict; write: VerdictWrite }[] = [];
    for (const c of cases) {
      const verdict = judge(c.input);
      const inputs = storedInputsOf(c);
      const inputsHash = hashOf(inputs, verdict);
      const alsoTrainingIn = (duplicates.get(c.trainee.id) ?? []).map((t) => ({ traineeId: t.id, programId: t.programId, programCode: codes.get(t.programId) ?? '' }));
      const before = existing.get(c.trainee.id);
      if (before && before.inputsHash === inputsHash && before.alsoTrainingIn.length === alsoTrainingIn.length) continue;
      writes.push({
        before,
        write: {
          traineeId: c.trainee.id,
          programId: c.trainee.programId,
          institutionId: c.trainee.institutionId,
          regionCode: c.trainee.enterpriseRegionCode,
          userId: c.trainee.userId,
          category: c.trainee.category,
          status: verdict.status,
          ruleSetVersion: verdict.ruleSetVersion,
          verdict,
          inputs,
          inputsHash,
          alsoTrainingIn,
          judgedAt: now,
        },
      });
    }
    const changes: JudgeOutcome['changes'][number][] = [];
    for (let i = 0; i < writes.length; i += CHUNK) {
      const chunk = writes.slice(i, i + CHUNK);
      await this.trail.commit(VERDICT_ACTOR, async (tx) => {
        const done: VerdictChange[] = [];
        for (const { before, write } of chunk) {
          const after = await this.verdicts.upsert(write);
          tx.record({
            action: 'verdict.judge',
            target: { type: VERDICT_TARGET, id: write.traineeId },
            tenant: traineeTenant({ institutionId: write.institutionId, enterpriseRegionCode: write.regionCode }),
            before: before ? { status: before.status, ruleSetVersion: before.ruleSetVersion } : undefined,
            after: { status: write.status, ruleSetVersion: write.ruleSetVersion, reasons: write.verdict.reasons.map((r) => r.code), inputsHash: write.inputsHash },
          });
          done.push({ before, after });
        }
        await this.observers.notify(tx, done);
      });
      for (const { before, write } of chunk) changes.push({ traineeId: write.traineeId, from: before?.status, to: write.status });
    }
    return { judged: cases.length, changed: writes.length, changes };
  }
}
