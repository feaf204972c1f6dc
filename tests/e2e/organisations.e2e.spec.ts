import { usccCheckChar } from '@app/identity';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';

const qualified = {
  yearsOfExperience: 3,
  fullTimeManagers: 2,
  fullTimeTeachers: 3,
  safetyTeachers: 1,
  seniorTeachers: 2,
  systems: ['needs-research', 'planning', 'management', 'archives', 'process-control', 'assessment', 'logistics'],
  digitalCourses: true,
};

describe('organisations over HTTP', () => {
  let t: TestApp;
  let base: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp('organisations');
    base = t.baseUrl;
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'zb-hrss']) tokens[u] = (await activate(base, u, pw.get(u)!)).accessToken;
  });
  afterAll(() => t?.stop());

  const create = (body: object) => call(base, 'POST', '/api/v1/organisations', { token: tokens.admin, body });

  it.each([
    ['91350100M000100Y44', '统一社会信用代码校验位不正确'],
    ['91350100M000100Y4', '统一社会信用代码应为18位'],
    ['91350100M000100I43', '统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）'],
  ])('refuses the credit code %s with 400 naming the field and reason', async (uscc, reason) => {
    const res = await create({ kind: 'enterprise', name: '测试企业', uscc, regionCode: '370300', industry: '机械制造' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields).toEqual([{ field: 'uscc', reasons: [reason] }]);
  });

  it("registers an enterprise with the standard's example code (lower case accepted) and refuses it twice", async () => {
    const body = { kind: 'enterprise', name: '福州示例企业', uscc: '91350100m000100y43', regionCode: '350100', industry: '机械制造' };
    const res = await create(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'enterprise', uscc: '91350100M000100Y43', demo: false });
    const again = await create({ ...body, name: '另一个名字' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DUPLICATE');
    expect(again.body.details.fields).toEqual(['uscc']);
  });

  it('requires the kind-specific facts', async () => {
    const res = await create({ kind: 'department', name: '某应急局', regionCode: '370300' });
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['department']);
    const inst = await create({ kind: 'institution', name: '无条件机构', uscc: '52370300MA00000023', regionCode: '370300' });
    expect(inst.body.details.fields.map((f: { field: string }) => f.field)).toContain('qualification');
  });

  it('requires a written justification for an institution short of the basic conditions, and shows it', async () => {
    const body = {
      kind: 'institution',
      name: '淄博新设培训机构',
      uscc: '52370300MA0000009' + usccCheckChar('52370300MA0000009'),
      regionCode: '370302',
      qualification: { ...qualified, fullTimeTeachers: 2, systems: qualified.systems.slice(1) },
    };
    const refused = await create(body);
    expect(refused.status).toBe(400);
    expect(refused.body.details.fields[0].field).toBe('qualificationJustification');
    expect(refused.body.details.fields[0].reasons).toHaveLength(2);
    expect(refused.body.details.fields[0].reasons[1]).toContain('培训需求调研');

    const accepted = await create({ ...body, qualificationJustification: '第三位老师已签约，下月到岗' });
    expect(accepted.status).toBe(201);
    expect(accepted.body.qualificationReview.shortfalls.map((s: { rule: string }) => s.rule)).toEqual(['teachers', 'systems']);

    const seen = await call(base, 'GET', '/api/v1/organisations?kind=institution', { token: tokens['zb-hrss'] });
    const mine = seen.body.items.find((o: { name: string }) => o.name === '淄博新设培训机构');
    expect(mine.qualificationReview.justification).toBe('第三位老师已签约，下月到岗');
    const demo = seen.body.items.find((o: { name: string }) => o.name === '淄博示范安全培训学校（演示）');
    expect(demo.qualificationReview.shortfalls.map((s: { rule: string }) => s.rule)).toEqual(['experience']);
  });

  it('validates the nested qualification fields by path', async () => {
    const res = await create({
      kind: 'institution',
      name: 'x',
      uscc: '91350100M000100Y43',
      regionCode: '3703',
      qualification: { ...qualified, fullTimeManagers: -1, systems: ['planning', 'bribery'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'qualification.fullTimeManagers',
      'qualification.systems',
      'regionCode',
    ]);
  });

  it('is for administrators only', async () => {
    const res = await call(base, 'POST', '/api/v1/organisations', { token: tokens['zb-hrss'], body: {} });
    expect(res.status).toBe(403);
  });
});
