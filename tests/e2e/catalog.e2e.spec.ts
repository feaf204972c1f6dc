import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';

describe('course catalog over HTTP', () => {
  let t: TestApp;
  let base: string;
  const tokens: Record<string, string> = {};
  let yc: { id: string; code: string };
  let zb: { id: string };

  beforeAll(async () => {
    t = await startTestApp('catalog');
    base = t.baseUrl;
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'yc-hrss', 'trainee']) tokens[u] = (await activate(base, u, pw.get(u)!)).accessToken;
    const programs = (await call(base, 'GET', '/api/v1/programs')).body.items;
    yc = programs.find((p: { code: string }) => p.code === 'YC-2025-MINING');
    zb = programs.find((p: { code: string }) => p.code === 'ZB-2024');
  });
  afterAll(() => t?.stop());

  const create = (body: object, who = 'admin') => call(base, 'POST', '/api/v1/courses', { token: tokens[who], body });
  const course = (extra: object = {}) => ({
    programId: yc.id,
    code: `C-${Math.random().toString(36).slice(2, 8)}`,
    title: '事故案例警示教育',
    audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'required' }],
    ...extra,
  });

  it('seeds demo courses with ordered lessons, and the program’s study settings', async () => {
    const list = (await call(base, 'GET', `/api/v1/courses?programId=${yc.id}`, { token: tokens.admin })).body.items;
    const law = list.find((c: { code: string }) => c.code === 'YC-LAW-01');
    expect(law.lessons.map((l: { position: number; status: string }) => [l.position, l.status])).toEqual([[0, 'draft'], [1, 'draft'], [2, 'draft']]);
    const detail = (await call(base, 'GET', `/api/v1/programs/${yc.id}`)).body;
    expect(detail.completionDeadline).toBe('2025-04-30');
    expect(detail.electiveTargets).toEqual([{ industry: '*', category: '*', minHours: 2 }]);
  });

  it('lets only administrators create and change courses; staff may read', async () => {
    expect((await create(course(), 'yc-institution')).status).toBe(403);
    expect((await create(course(), 'trainee')).status).toBe(403);
    const ok = await create(course());
    expect(ok.status).toBe(201);
    expect((await call(base, 'GET', `/api/v1/courses/${ok.body.id}`, { token: tokens['yc-hrss'] })).status).toBe(200);
    expect((await call(base, 'GET', `/api/v1/courses?programId=${yc.id}`, { token: tokens.trainee })).status).toBe(403);
  });

  it.each([
    ['an industry outside the program', [{ industry: '冶金', category: 'team_leader', requirement: 'required' }], '行业“冶金”不属于该培训项目'],
    ['a category outside the program', [{ industry: '矿山', category: 'project_lead', requirement: 'required' }], '人员类别“project_lead”不属于该培训项目'],
    ['a duplicate audience', [{ industry: '*', category: '*', requirement: 'required' }, { industry: '*', category: '*', requirement: 'elective' }], '适用对象重复'],
  ])('refuses %s with AUDIENCE_INVALID', async (_n, audiences, reason) => {
    const res = await create(course({ audiences }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('AUDIENCE_INVALID');
    expect(res.body.details.problems.map((p: { reason: string }) => p.reason)).toContain(reason);
  });

  it('validates fields with zh-CN messages, codes unique per program', async () => {
    const bad = await create(course({ code: 'bad code!', deadline: '2025-13-01', audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'sometimes' }] }));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body.details)).toMatch(/课程编号只能包含|日期格式应为|必修\/选修/);
    const first = await create(course({ code: 'DUP-1' }));
    expect(first.status).toBe(201);
    const again = await create(course({ code: 'DUP-1' }));
    expect([again.status, again.body.code]).toEqual([409, 'COURSE_CODE_TAKEN']);
    // The same code in another program is another course.
    expect((await create(course({ code: 'DUP-1', programId: zb.id, audiences: [] }))).status).toBe(201);
    expect((await create(course({ programId: '000000000000000000000000' }))).body.code).toBe('PROGRAM_NOT_FOUND');
  });

  it('keeps a course deadline inside its program and refuses blank names', async () => {
    const late = await create(course({ deadline: '2026-01-31' }));
    expect([late.status, late.body.code]).toEqual([400, 'COURSE_DEADLINE_INVALID']);
    expect(late.body.details.fields).toEqual([{ field: 'deadline', reasons: ['截止日期不能晚于项目结束日期（2025-12-31）'] }]);
    expect((await create(course({ deadline: '2025-02-30' }))).body.details.fields[0].reasons).toEqual(['截止日期不是有效日期']);
    const ok = (await create(course({ deadline: '2025-12-31' }))).body;
    expect(ok.deadline).toBe('2025-12-31');
    const moved = await call(base, 'PATCH', `/api/v1/courses/${ok.id}`, { token: tokens.admin, body: { deadline: '2022-12-31' } });
    expect([moved.status, moved.body.code]).toEqual([400, 'COURSE_DEADLINE_INVALID']);
    expect((await call(base, 'GET', `/api/v1/courses/${ok.id}`, { token: tokens.admin })).body.deadline).toBe('2025-12-31');

    expect(JSON.stringify((await create(course({ title: '   ' }))).body.details)).toContain('请输入课程名称');
    const blank = await call(base, 'POST', `/api/v1/courses/${ok.id}/lessons`, { token: tokens.admin, body: { title: '  ' } });
    expect([blank.status, blank.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(blank.body.details)).toContain('请输入课时名称');
    expect((await call(base, 'GET', `/api/v1/courses/${ok.id}`, { token: tokens.admin })).body.lessons).toEqual([]);
  });

  it('orders lessons and refuses an order that is not a permutation', async () => {
    const c = (await create(course())).body;
    const ids: string[] = [];
    for (const title of ['一', '二', '三']) ids.push((await call(base, 'POST', `/api/v1/courses/${c.id}/lessons`, { token: tokens.admin, body: { title } })).body.id);
    const reordered = await call(base, 'PUT', `/api/v1/courses/${c.id}/lesson-order`, { token: tokens.admin, body: { lessonIds: [ids[2], ids[0], ids[1]] } });
    expect(reordered.status).toBe(200);
    expect(reordered.body.map((l: { title: string }) => l.title)).toEqual(['三', '一', '二']);
    const missing = await call(base, 'PUT', `/api/v1/courses/${c.id}/lesson-order`, { token: tokens.admin, body: { lessonIds: [ids[0], ids[1]] } });
    expect([missing.status, missing.body.code]).toEqual([400, 'LESSON_ORDER_MISMATCH']);
    const twice = await call(base, 'PUT', `/api/v1/courses/${c.id}/lesson-order`, { token: tokens.admin, body: { lessonIds: [ids[0], ids[0], ids[1]] } });
    expect(twice.body.code).toBe('LESSON_ORDER_MISMATCH');
  });

  it('gives the trainee exactly the courses of their audience, with course or program deadlines and the elective target', async () => {
    const mineReq = (await create(course({ code: 'AUD-REQ', deadline: '2025-03-01' }))).body;
    const elective = (await create(course({ code: 'AUD-ELE', audiences: [{ industry: '矿山', category: '*', requirement: 'elective' }] }))).body;
    const other = (await create(course({ code: 'AUD-OTHER', audiences: [{ industry: '机械制造', category: 'team_leader', requirement: 'required' }] }))).body;
    await call(base, 'PATCH', `/api/v1/programs/${yc.id}/study-settings`, {
      token: tokens.admin,
      body: { electiveTargets: [{ industry: '*', category: '*', minHours: 2 }, { industry: '矿山', category: 'team_leader', minHours: 6 }] },
    });
    const mine = (await call(base, 'GET', '/api/v1/me/courses', { token: tokens.trainee })).body.programs;
    expect(mine).toHaveLength(1);
    const p = mine[0];
    expect(p).toMatchObject({ programId: yc.id, industry: '矿山', category: 'team_leader', electiveMinHours: 6, minutesPerHour: 45 });
    const req = p.required.map((e: { course: { id: string } }) => e.course.id);
    const ele = p.elective.map((e: { course: { id: string } }) => e.course.id);
    expect(req).toContain(mineReq.id);
    expect(ele).toContain(elective.id);
    expect([...req, ...ele]).not.toContain(other.id);
    expect(p.required.find((e: { course: { id: string } }) => e.course.id === mineReq.id).deadline).toBe('2025-03-01');
    expect(p.elective.find((e: { course: { id: string } }) => e.course.id === elective.id).deadline).toBe('2025-04-30');
    // Draft lessons are not shown to trainees.
    expect(p.required.find((e: { course: { code: string } }) => e.course.code === 'YC-LAW-01').course.lessons).toEqual([]);
    expect((await call(base, 'GET', '/api/v1/me/courses', { token: tokens.admin })).status).toBe(403);
  });

  it('validates program study settings', async () => {
    const bad = await call(base, 'PATCH', `/api/v1/programs/${yc.id}/study-settings`, {
      token: tokens.admin,
      body: { electiveTargets: [{ industry: '冶金', category: '*', minHours: 2 }] },
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'ELECTIVE_TARGET_INVALID']);
    const neg = await call(base, 'PATCH', `/api/v1/programs/${yc.id}/study-settings`, { token: tokens.admin, body: { electiveTargets: [{ industry: '*', category: '*', minHours: -1 }] } });
    expect(neg.body.code).toBe('VALIDATION_FAILED');
    const cleared = await call(base, 'PATCH', `/api/v1/programs/${yc.id}/study-settings`, { token: tokens.admin, body: { completionDeadline: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.completionDeadline).toBeUndefined();
    expect((await call(base, 'PATCH', `/api/v1/programs/${yc.id}/study-settings`, { token: tokens['yc-institution'], body: {} })).status).toBe(403);
  });

  it('refuses playback of a lesson without video and of unknown lessons', async () => {
    const c = (await create(course())).body;
    const lesson = (await call(base, 'POST', `/api/v1/courses/${c.id}/lessons`, { token: tokens.admin, body: { title: '无视频' } })).body;
    expect((await call(base, 'GET', `/api/v1/lessons/${lesson.id}/playback`, { token: tokens.trainee })).body.code).toBe('MEDIA_NOT_PUBLISHED');
    expect((await call(base, 'GET', `/api/v1/lessons/000000000000000000000000/playback`, { token: tokens.trainee })).body.code).toBe('LESSON_NOT_FOUND');
    expect((await call(base, 'GET', `/api/v1/lessons/${lesson.id}/playback`, { token: tokens['yc-hrss'] })).body.code).toBe('NOT_IN_AUDIENCE');
  });
});
