// Closed-book paper exams against the real app: 培考分离 in 伊春 (the department's examiner schedules,
// invigilates and records; the institution gets 403 on creating, reading or recording), eligibility by
// hours, a failed first attempt, the one retake passed, and the verdict reading each result; 淄博's
// institution organises its own.
import { LedgerBook } from '@app/ledger';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';
import { createClass, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';

describe('exams (closed-book, on paper, recorded)', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp('exams', { JOBS_RUN: 'none' });
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'zb-institution', 'yc-hrss', 'yc-examiner']) tokens[u] = (await activate(t.baseUrl, u, pw.get(u)!)).accessToken;
  });
  afterAll(() => t?.stop());

  const req = (user: string, method: string, url: string, body?: unknown) => call(t.baseUrl, method, url, { token: tokens[user], body });

  it('培考分离: the examiner runs a first sitting and the retake, the institution cannot touch either, and the verdict follows', async () => {
    const programId = await ycProgramId(t.baseUrl);
    // The demo program's required courses are beside the point here: the rule set asks only hours and the exam.
    const ruleSet = must('rule set', await req('admin', 'GET', `/api/v1/compliance/rule-sets/${programId}`)).body;
    const body = { ...ruleSet.body, requiredCoursesMustFinish: false, categories: ruleSet.body.categories.map((c: object) => ({ ...c, electiveMinHours: 0 })) };
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
