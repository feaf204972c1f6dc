// Stored verdicts against the real database: judged from the ledger, re-judged after a rule-set
// change with the new version named, and the preview counting the flip before the save; then the
// same over HTTP: who reads and writes rule sets, the editor's validation, whose verdicts each role sees;
// then closed-book paper exams: 培考分离 in 伊春 (the department's examiner schedules, invigilates and
// records; the institution gets 403 on creating, reading or recording), eligibility by hours, a failed
// first attempt, the one retake passed, the verdict reading each result; 淄博's institution organises its own.
import { JudgeTrainees, RuleSetService, SweepVerdicts, VerdictRepository } from '@app/compliance';
import { DEMO_TRAINEE_ID_NUMBER, systemScope, TraineeRepository } from '@app/identity';
import { LedgerBook } from '@app/ledger';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';
import { createClass, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';

describe('compliance verdicts (stored, re-judged)', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp('compliance', { JOBS_RUN: 'none' });
    const passwords = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'zb-institution', 'yc-hrss', 'yc-examiner', 'trainee']) tokens[u] = (await activate(t.baseUrl, u, passwords.get(u)!)).accessToken;
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

  it('serves rule sets and verdicts over HTTP: admin-only validated saves with a preview, tenant-scoped verdicts', async () => {
    const get = (user: string, url: string) => call(t.baseUrl, 'GET', url, { token: tokens[user] });
    const post = (user: string, url: string, body: unknown) => call(t.baseUrl, 'POST', url, { token: tokens[user], body });

    const trainee = (await t.app.get(TraineeRepository).list(systemScope('test'), { idNumber: DEMO_TRAINEE_ID_NUMBER }, { offset: 0, limit: 1 })).items[0];
    const programId = trainee.programId;
    const base = `/api/v1/compliance/rule-sets/${programId}`;

    // Reads: every staff role, never a trainee; a version that does not exist is a 404 with its code.
    const list = await get('yc-institution', '/api/v1/compliance/rule-sets');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBe(5);
    const current = (await get('yc-examiner', base)).body;
    expect(current).toMatchObject({ programId, version: expect.any(Number), body: { exam: { organiser: 'separate' } } });
    const versions = (await get('yc-hrss', `${base}/versions`)).body.items as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual([...Array(current.version).keys()].map((i) => current.version - i));
    expect((await get('yc-institution', `${base}/versions/1`)).body.version).toBe(1);
    for (const bad of ['abc', '0', '999']) expect((await get('admin', `${base}/versions/${bad}`)).body.code).toBe('RULE_SET_VERSION_NOT_FOUND');
    expect((await get('trainee', '/api/v1/compliance/rule-sets')).status).toBe(403);
    expect((await get('admin', '/api/v1/compliance/rule-sets/65a000000000000000000001')).body.code).toBe('RULE_SET_NOT_FOUND');

    // The editor's validation: every bad field named in zh-CN, nothing written; no institution or auditor writes.
    const invalid = { ...current.body, minutesPerHour: 0, categories: [{ ...current.body.categories[0], maxHours: -1 }] };
    const previewBad = await post('admin', `${base}/preview`, { body: invalid });
    expect(previewBad.status).toBe(200);
    expect(previewBad.body.problems.map((p: { field: string }) => p.field)).toEqual(['minutesPerHour', 'categories[0].maxHours']);
    const saveBad = await post('admin', `${base}/versions`, { baseVersion: current.version, note: '错误的修改', body: invalid });
    expect(saveBad).toMatchObject({ status: 400, body: { code: 'RULE_SET_INVALID', details: { problems: expect.arrayContaining([{ field: 'minutesPerHour', message: expect.stringMatching(/每学时分钟数/) }]) } } });
    expect((await post('admin', `${base}/versions`, { baseVersion: current.version, note: '垃圾', body: { categories: [null], deadlines: 'x' } })).body.code).toBe('RULE_SET_INVALID');
    expect((await post('admin', `${base}/versions`, { baseVersion: current.version, note: '  ', body: current.body })).body.code).toBe('VALIDATION_FAILED');
    expect((await post('admin', `${base}/versions`, { baseVersion: current.version, note: '无变化', body: { ...current.body, extra: 1 } })).body.code).toBe('RULE_SET_UNCHANGED');
    expect((await post('admin', `${base}/versions`, { baseVersion: current.version - 1, note: '旧版本上的修改', body: { ...current.body, minutesPerHour: 50 } })).body.code).toBe('RULE_SET_STALE');
    for (const user of ['yc-institution', 'yc-hrss', 'yc-examiner']) {
      expect((await post(user, `${base}/versions`, { baseVersion: current.version, note: '越权', body: current.body })).status).toBe(403);
      expect((await post(user, `${base}/preview`, { body: current.body })).status).toBe(403);
    }
    expect((await get('admin', `${base}/versions`)).body.items.length).toBe(current.version);

    // Requiring 10 学时 again flips the (complete) demo trainee back: the preview counts it, the save names the new version.
    const strict = { ...current.body, categories: current.body.categories.map((c: { minHours: number }) => ({ ...c, minHours: 10 })) };
    const preview = await post('admin', `${base}/preview`, { body: strict });
    expect(preview.body).toMatchObject({ problems: [], fromVersion: current.version, flips: expect.any(Number) });
    expect(preview.body.byTransition['complete→non_compliant']).toBeGreaterThanOrEqual(1);
    expect(preview.body.examples).toEqual(expect.arrayContaining([expect.objectContaining({ traineeId: trainee.id, from: 'complete', to: 'non_compliant', reasons: expect.arrayContaining(['HOURS_SHORT']) })]));
    const saved = await post('admin', `${base}/versions`, { baseVersion: current.version, note: '恢复最低学时 10 学时', body: strict });
    expect(saved).toMatchObject({ status: 201, body: { version: current.version + 1, note: '恢复最低学时 10 学时' } });
    await t.app.get(SweepVerdicts).execute();

    // Verdicts: the institution and the region's department see the trainee's, the other institution does not.
    const url = `/api/v1/compliance/verdicts/trainees/${trainee.id}`;
    const mine = await get('yc-institution', url);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ traineeId: trainee.id, status: 'non_compliant', statusName: '不达标', ruleSetVersion: current.version + 1 });
    expect(mine.body.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'HOURS_SHORT', severity: 'unmet', message: expect.stringMatching(/学时/) })]));
    expect((await get('yc-hrss', url)).status).toBe(200);
    expect((await get('zb-institution', url)).body.code).toBe('TRAINEE_NOT_FOUND');
    expect((await get('trainee', url)).status).toBe(403);
    const byProgram = async (user: string) => ((await get(user, `/api/v1/compliance/verdicts?programId=${programId}&limit=200`)).body.items as Array<{ traineeId: string }>).map((v) => v.traineeId);
    expect(await byProgram('yc-institution')).toContain(trainee.id);
    const listed = (await get('yc-institution', `/api/v1/compliance/verdicts?programId=${programId}&limit=200`)).body.items.find((v: { traineeId: string }) => v.traineeId === trainee.id);
    expect(listed.traineeName).toBe(trainee.name);
    expect(await byProgram('zb-institution')).not.toContain(trainee.id);
    expect((await get('yc-institution', '/api/v1/compliance/verdicts?status=done')).body.code).toBe('VALIDATION_FAILED');
    const own = await get('trainee', '/api/v1/compliance/me/verdicts');
    expect(own.body.items.map((v: { traineeId: string; ruleSetVersion: number }) => [v.traineeId, v.ruleSetVersion])).toEqual([[trainee.id, current.version + 1]]);
  });

  // Exams (libs/exams) in the same app: they read and feed the verdicts above.
  const req = (user: string, method: string, url: string, body?: unknown) => call(t.baseUrl, method, url, { token: tokens[user], body });

  it('培考分离: the examiner runs a first sitting and the retake, the institution cannot touch either, and the verdict follows', async () => {
    const programId = await ycProgramId(t.baseUrl);
    // Required courses are beside the point here: the rule set asks only hours and the exam.
    const ruleSet = must('rule set', await req('admin', 'GET', `/api/v1/compliance/rule-sets/${programId}`)).body;
    // The cases above relaxed the exam away: it is required again here.
    const body = { ...ruleSet.body, requiredCoursesMustFinish: false, exam: { ...ruleSet.body.exam, required: true }, categories: ruleSet.body.categories.map((c: object) => ({ ...c, electiveMinHours: 0 })) };
    must('save', await req('admin', 'POST', `/api/v1/compliance/rule-sets/${programId}/versions`, { baseVersion: ruleSet.version, note: '考试测试：不要求必修课', body }));
    const leader = body.categories.find((c: { code: string }) => c.code === 'team_leader');

    const enterprise = await ycEnterprise(t.baseUrl, tokens['yc-institution']);
    const ready = await registerTrainee(t.baseUrl, tokens['yc-institution'], programId, enterprise.id, 'team_leader', '考试甲');
    const short = await registerTrainee(t.baseUrl, tokens['yc-institution'], programId, enterprise.id, 'team_leader', '考试乙');
    const classId = await createClass(t.baseUrl, tokens['yc-institution'], programId);
    for (const id of [ready.id, short.id]) must('roster', await req('yc-institution', 'POST', `/api/v1/offline/classes/${classId}/roster`, { traineeId: id }));
    // Exactly the minimum, 70 % offline and 30 % practical (≥ 60 % and ≥ 1/4): the hours are met.
    const seconds = leader.minHours * body.minutesPerHour * 60;
    const trainee = (await req('admin', 'GET', `/api/v1/trainees/${ready.id}`)).body;
    for (const [source, s] of [['offline', Math.ceil(seconds * 0.7)], ['practical', Math.ceil(seconds * 0.3)]] as const) {
      await t.app.get(LedgerBook).credit({ kind: 'system', reason: 'test' }, {
        idempotencyKey: `exams-e2e-${source}`, traineeId: ready.id, programId, institutionId: trainee.institutionId, regionCode: trainee.enterpriseRegionCode ?? '230702', source, seconds: s, by: 'test', occurredAt: new Date(),
      });
    }

    const now = Date.now();
    const sitting = (kind: string, paperCode: string) => ({ kind, paperCode, paperTitle: '工伤预防结业考试（矿山班组长）', startsAt: iso(now - 3600_000), endsAt: iso(now + 3600_000), location: '伊春市应急管理局考试中心' });
    const sittingsUrl = `/api/v1/exams/classes/${classId}/sittings`;

    // The institution never organises under 培考分离; another institution does not even find the class.
    expect((await req('yc-institution', 'POST', sittingsUrl, sitting('first', 'P-1'))).body.code).toBe('EXAM_NOT_ORGANISER');
    expect((await req('zb-institution', 'POST', sittingsUrl, sitting('first', 'P-1'))).body.code).toBe('CLASS_NOT_FOUND');
    expect((await req('yc-examiner', 'POST', sittingsUrl, { ...sitting('first', 'P-1'), endsAt: iso(now - 7200_000) })).body.code).toBe('SITTING_INVALID');
    expect((await req('yc-examiner', 'POST', sittingsUrl, { ...sitting('first', ' '), kind: 'final' })).body).toMatchObject({ code: 'VALIDATION_FAILED' });

    const first = await req('yc-examiner', 'POST', sittingsUrl, sitting('first', 'P-1'));
    expect(first.status).toBe(201);
    expect(first.body.sitting).toMatchObject({ organiser: 'separate', kind: 'first', passMark: body.exam.passMark, status: 'scheduled', candidates: [{ traineeId: ready.id, attempt: 1 }] });
    expect(first.body.excluded).toEqual([expect.objectContaining({ traineeId: short.id, refusal: 'NOT_ELIGIBLE_HOURS', message: expect.stringMatching(/学时/) })]);
    const firstUrl = `/api/v1/exams/sittings/${first.body.sitting.id}`;
    expect((await req('yc-institution', 'GET', firstUrl)).body.code).toBe('EXAM_NOT_ORGANISER');
    expect((await req('yc-institution', 'GET', sittingsUrl)).body.code).toBe('EXAM_NOT_ORGANISER');
    const examClasses = async (user: string) => ((await req(user, 'GET', '/api/v1/exams/classes')).body.items as Array<{ id: string }>).map((c) => c.id);
    expect(await examClasses('yc-examiner')).toContain(classId);
    expect(await examClasses('yc-institution')).not.toContain(classId);
    expect((await req('yc-institution', 'POST', `${firstUrl}/results`, { invigilators: ['某人'], results: [{ traineeId: ready.id, score: 100 }] })).body.code).toBe('EXAM_NOT_ORGANISER');
    expect((await req('zb-institution', 'GET', firstUrl)).body.code).toBe('SITTING_NOT_FOUND');
    expect((await req('zb-institution', 'POST', `${firstUrl}/results`, { invigilators: ['某人'], results: [{ traineeId: ready.id, score: 100 }] })).body.code).toBe('SITTING_NOT_FOUND');
    expect((await req('yc-hrss', 'GET', firstUrl)).status).toBe(200);
    // Already sitting one: not scheduled into another.
    expect((await req('yc-examiner', 'POST', sittingsUrl, sitting('first', 'P-1b'))).body).toMatchObject({ code: 'NO_CANDIDATES', details: { excluded: expect.arrayContaining([expect.objectContaining({ traineeId: ready.id, refusal: 'ALREADY_SCHEDULED' })]) } });

    // The sheet: one row per candidate and named invigilators, else nothing is written.
    expect((await req('yc-examiner', 'POST', `${firstUrl}/results`, { invigilators: [], results: [{ traineeId: ready.id, score: 55 }] })).body.code).toBe('RESULTS_INVALID');
    expect((await req('yc-examiner', 'POST', `${firstUrl}/results`, { invigilators: ['王监考'], results: [{ traineeId: short.id, score: 90 }] })).body).toMatchObject({ code: 'RESULTS_INVALID', details: { problems: expect.arrayContaining([{ traineeId: ready.id, message: expect.stringMatching(/未登记成绩/) }]) } });
    expect((await req('yc-examiner', 'POST', `${firstUrl}/results`, { invigilators: ['王监考'], results: [{ traineeId: ready.id, score: 100.5 }] })).body.code).toBe('RESULTS_INVALID');
    expect((await req('yc-examiner', 'GET', firstUrl)).body.status).toBe('scheduled');
    const failed = await req('yc-examiner', 'POST', `${firstUrl}/results`, { invigilators: ['王监考', '李监考'], results: [{ traineeId: ready.id, score: body.exam.passMark - 0.5 }] });
    expect(failed.body).toMatchObject({ status: 'recorded', invigilators: ['王监考', '李监考'], results: [{ traineeId: ready.id, score: body.exam.passMark - 0.5, passed: false, absent: false }] });
    expect((await req('yc-examiner', 'POST', `${firstUrl}/results`, { invigilators: ['王监考'], results: [{ traineeId: ready.id, score: 90 }] })).body.code).toBe('RESULTS_ALREADY_RECORDED');

    const verdictUrl = `/api/v1/compliance/verdicts/trainees/${ready.id}`;
    const afterFail = (await req('yc-institution', 'GET', verdictUrl)).body;
    expect(afterFail.exam).toEqual({ attempts: 1, best: body.exam.passMark - 0.5, passed: false });
    expect(afterFail.reasons.map((r: { code: string }) => r.code)).toContain('EXAM_FAILED_RETAKE_LEFT');

    // A second first sitting is refused (it would be a retake); the retake admits the one who failed.
    expect((await req('yc-examiner', 'POST', sittingsUrl, sitting('first', 'P-2'))).body.details.excluded.map((e: { refusal: string }) => e.refusal).sort()).toEqual(['NOT_A_RETAKE', 'NOT_ELIGIBLE_HOURS']);
    const retake = must('retake', await req('yc-examiner', 'POST', sittingsUrl, sitting('retake', 'P-2'))).body.sitting;
    expect(retake.candidates).toEqual([expect.objectContaining({ traineeId: ready.id, attempt: 2 })]);
    must('record retake', await req('yc-examiner', 'POST', `/api/v1/exams/sittings/${retake.id}/results`, { invigilators: ['王监考'], results: [{ traineeId: ready.id, score: body.exam.passMark }] }));
    const afterPass = (await req('yc-institution', 'GET', verdictUrl)).body;
    expect(afterPass.exam).toEqual({ attempts: 2, best: body.exam.passMark, passed: true });
    expect(afterPass.reasons.filter((r: { code: string }) => r.code.startsWith('EXAM_'))).toEqual([]);
    expect(afterPass.status).toBe('complete');
    expect((await req('yc-examiner', 'POST', sittingsUrl, sitting('retake', 'P-3'))).body.details.excluded.map((e: { refusal: string }) => e.refusal).sort()).toEqual(['ALREADY_PASSED', 'NEEDS_FIRST_SITTING']);
    expect((await req('yc-examiner', 'GET', sittingsUrl)).body.items.map((s: { kind: string; status: string }) => `${s.kind}:${s.status}`)).toEqual(['first:recorded', 'retake:recorded']);
  });

  it('where the institution organises (淄博), its staff schedule; the 伊春 examiner does not find the class', async () => {
    const programs = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items as Array<{ id: string; code: string }>;
    const zb = programs.find((p) => p.code === 'ZB-2024')!.id;
    const classId = await createClass(t.baseUrl, tokens['zb-institution'], zb, { industry: '危险化学品', location: '淄博' });
    const now = Date.now();
    const body = { kind: 'first', paperCode: 'ZB-1', paperTitle: '结业考试', startsAt: iso(now + 3600_000), endsAt: iso(now + 7200_000), location: '淄博' };
    // Past the organiser check: an empty roster has no candidate.
    expect((await req('zb-institution', 'POST', `/api/v1/exams/classes/${classId}/sittings`, body)).body.code).toBe('NO_CANDIDATES');
    expect((await req('yc-examiner', 'POST', `/api/v1/exams/classes/${classId}/sittings`, body)).body.code).toBe('CLASS_NOT_FOUND');
    expect((await req('zb-institution', 'GET', `/api/v1/exams/classes/${classId}/sittings`)).body.items).toEqual([]);
  });
});
