// Stored verdicts against the real database: judged from the ledger, re-judged after a rule-set
// change with the new version named, and the preview counting the flip before the save.
import { JudgeTrainees, RuleSetService, SweepVerdicts, VerdictRepository } from '@app/compliance';
import { DEMO_TRAINEE_ID_NUMBER, systemScope, TraineeRepository } from '@app/identity';
import { LedgerBook } from '@app/ledger';
import { startTestApp, TestApp } from '../support/app';

describe('compliance verdicts (stored, re-judged)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('compliance', { JOBS_RUN: 'none' });
  });
  afterAll(() => t?.stop());

  it('judges the demo trainee from the ledger, previews and saves a rule change, and the sweep names the new version', async () => {
    const scope = systemScope('test');
    const trainee = (await t.app.get(TraineeRepository).list(scope, { idNumber: DEMO_TRAINEE_ID_NUMBER }, { offset: 0, limit: 1 })).items[0];
    expect(trainee).toBeDefined();
    const judge = t.app.get(JudgeTrainees);
    const repo = t.app.get(VerdictRepository);
    await judge.execute([trainee.id]);
    const first = (await repo.findByTrainee(scope, trainee.id))!;
    // 伊春's program ended on 2025-04-30 (伊应急函〔2025〕41号 §三(二)): unmet requirements are now non-compliance.
    expect(first.status).toBe('non_compliant');
    expect(first.verdict.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['HOURS_SHORT', 'EXAM_NOT_TAKEN', 'PAST_DEADLINE']));
    expect(first.ruleSetVersion).toBe(1);

    // An hour of offline credit changes the stored inputs.
    await t.app.get(LedgerBook).credit({ kind: 'system', reason: 'test' }, {
      idempotencyKey: 'compliance-e2e-1', traineeId: trainee.id, programId: trainee.programId, institutionId: trainee.institutionId,
      regionCode: trainee.enterpriseRegionCode, source: 'offline', seconds: 2700, by: 'test', occurredAt: new Date(),
    });
    await t.app.get(SweepVerdicts).execute();
    const second = (await repo.findByTrainee(scope, trainee.id))!;
    expect(second.inputs.seconds.offline).toBe(2700);
    expect(second.inputsHash).not.toBe(first.inputsHash);

    // Nothing asked: no exam, no hours or elective minimum, no course → the draft would flip the trainee to complete.
    const rules = t.app.get(RuleSetService);
    const current = await rules.current(trainee.programId);
    const draft = {
      ...current.body,
      requiredCoursesMustFinish: false,
      exam: { ...current.body.exam, required: false },
      categories: current.body.categories.map((c) => ({ ...c, minHours: 0, electiveMinHours: 0, offlineShare: undefined, practicalShare: undefined })),
    };
    const preview = await rules.preview(trainee.programId, draft);
    expect(preview.problems).toEqual([]);
    expect(preview.byTransition['non_compliant→complete']).toBeGreaterThanOrEqual(1);
    await expect(rules.saveVersion({ kind: 'system', reason: 'test' }, trainee.programId, current.version + 5, draft, '测试')).rejects.toMatchObject({ code: 'RULE_SET_STALE' });
    const saved = await rules.saveVersion({ kind: 'system', reason: 'test' }, trainee.programId, current.version, draft, '测试：取消最低学时');
    expect(saved.version).toBe(current.version + 1);
    await t.app.get(SweepVerdicts).execute();
    const third = (await repo.findByTrainee(scope, trainee.id))!;
    expect(third).toMatchObject({ status: 'complete', ruleSetVersion: saved.version });
  });
});
