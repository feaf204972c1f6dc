// Oversight over HTTP against the real app, database and face engine: one face enrolled for two
// trainees ranks above ordinary items with the references named; an auditor voids the credit
// (exactly its seconds, once, in the audit trail), the institution appeals, a second auditor
// decides; a reversal restores the hours once; other roles and other jurisdictions are refused.
import { MongoClient } from 'mongodb';
import { AUDIT_LOG } from '@app/audit';
import { StudyWatch, StudyWatchToken } from '@app/study';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords, Reply } from '../support/auth-client';
import { consentAndEnrol } from '../support/faces';
import { acceptInApp, addSession, createClass, createInstructor, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';

jest.setTimeout(180_000);

const H = 3600_000;

interface Item {
  id: string;
  subjectKind: string;
  traineeId: string;
  score: number;
  formula: string;
  status: string;
  signals: Array<{ code: string; name: string; detail: string; facts: Array<{ kind: string; id: string; note?: string }> }>;
  voidScopes: string[];
}

describe('oversight: queue, voids, appeals (e2e)', () => {
  let t: TestApp;
  let mongo: MongoClient;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let programId: string;
  /** Two trainees enrolled with one face (obama-1, obama-2); an honest one with manual attendance. */
  let twinA: { id: string };
  let twinB: { id: string };
  let honest: { id: string };
  let zbTrainee: { id: string };
  let classSessionId: string;

  const get = (user: string, url: string) => call(t.baseUrl, 'GET', `/api/v1${url}`, { token: tok[user] });
  const post = (user: string, url: string, body: unknown = {}) => call(t.baseUrl, 'POST', `/api/v1${url}`, { token: tok[user], body });
  const hours = async (traineeId: string) => must('hours', await get('yc-institution', `/trainees/${traineeId}/hours`)).body.bySource as { online: number; offline: number; practical: number };
  const audit = (filter: object) => mongo.db(t.db.dbName).collection(AUDIT_LOG).find(filter).toArray();
  const expectError = (res: Reply, status: number, code: string) => {
    expect(`${res.status} ${res.body?.code}`).toBe(`${status} ${code}`);
    expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
  };
  const items = async (user = 'yc-hrss', query = '') => must('items', await get(user, `/oversight/items?pageSize=100${query}`)).body as { items: Item[]; total: number };
  const itemOf = async (traineeId: string, kind: string) => (await items()).items.find((i) => i.traineeId === traineeId && i.subjectKind === kind)!;

  /** A past class session with hand-entered attendance for each trainee, accepted: its hours are in the ledger. */
  async function creditedClassSession(user: string, programId: string, trainees: string[], industry = '矿山'): Promise<string> {
    const token = tok[user];
    const instructorId = await createInstructor(t.baseUrl, token);
    const classId = await createClass(t.baseUrl, token, programId, { industry });
    must('publish', await call(t.baseUrl, 'PATCH', `/api/v1/offline/classes/${classId}`, { token, body: { status: 'published' } }));
    for (const traineeId of trainees) must('roster', await post(user, `/offline/classes/${classId}/roster`, { traineeId }));
    const now = Date.now();
    const session = must('session', await addSession(t.baseUrl, token, classId, { startsAt: iso(now - 3 * H), endsAt: iso(now - 2 * H), instructorId, reason: '补录' })).body.id as string;
    for (const traineeId of trainees) {
      must('attendance', await post(user, `/offline/sessions/${session}/attendance`, { traineeId, signInAt: iso(now - 3 * H), signOutAt: iso(now - 2 * H), reason: '签到终端故障，按纸质签到表补登' }));
    }
    expect((await acceptInApp(t.app, token, session)).credited).toBe(trainees.length);
    return session;
  }

  beforeAll(async () => {
    // Every ordinary item sampled, so the queue holds honest-looking work to rank the fraud above.
    t = await startTestApp('oversight', { OVERSIGHT_SAMPLE_RATE: '1', FACE_ENGINE_START: 'eager' });
    mongo = await MongoClient.connect(t.db.uri);
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'zb-institution', 'yc-hrss', 'zb-hrss', 'trainee']) tok[u] = (await activate(t.baseUrl, u, pw.get(u)!)).accessToken;
    // A second auditor of the same jurisdiction: the one who reverses or reviews a void.
    const orgs = (await get('admin', '/organisations')).body.items as Array<{ id: string; kind: string; regionCode: string }>;
    const department = orgs.find((o) => o.kind === 'department' && o.regionCode.startsWith('2307'))!;
    const second = must('user', await post('admin', '/users', { username: 'yc-reviewer', displayName: '伊春复核审核员', role: 'auditor', organisationId: department.id })).body;
    tok['yc-reviewer'] = (await activate(t.baseUrl, 'yc-reviewer', second.initialPassword)).accessToken;
    for (const u of ['yc-hrss', 'yc-reviewer']) ids[u] = must('me', await get(u, '/auth/me')).body.id;

    programId = await ycProgramId(t.baseUrl);
    const enterprise = await ycEnterprise(t.baseUrl, tok['yc-institution']);
    twinA = await registerTrainee(t.baseUrl, tok['yc-institution'], programId, enterprise.id, 'team_leader', '张同脸');
    twinB = await registerTrainee(t.baseUrl, tok['yc-institution'], programId, enterprise.id, 'team_leader', '李同脸');
    honest = await registerTrainee(t.baseUrl, tok['yc-institution'], programId, enterprise.id, 'team_leader', '王如实');
    expect((await consentAndEnrol(t.baseUrl, tok['yc-institution'], twinA.id, 'obama-1.jpg')).status).toBe('active');
    expect((await consentAndEnrol(t.baseUrl, tok['yc-institution'], twinB.id, 'obama-2.jpg')).status).toBe('held_for_review');
    classSessionId = await creditedClassSession('yc-institution', programId, [twinB.id, honest.id]);

    const zbProgram = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'ZB-2024').id as string;
    const zbEnterprise = ((await get('zb-institution', '/organisations')).body.items as Array<{ id: string; kind: string; industry: string }>).find((o) => o.kind === 'enterprise')!;
    zbTrainee = await registerTrainee(t.baseUrl, tok['zb-institution'], zbProgram, zbEnterprise.id, 'team_leader', '淄博学员');
    await creditedClassSession('zb-institution', zbProgram, [zbTrainee.id], zbEnterprise.industry);

    const job = must('refresh', await post('yc-hrss', '/oversight/refresh'), [202]).body.jobId as string;
    for (let i = 0; ; i++) {
      const s = must('status', await get('yc-hrss', `/oversight/refresh/${job}`)).body;
      if (s.status === 'succeeded') break;
      if (s.status === 'failed' || i > 100) throw new Error(`refresh: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => {
    await mongo?.close();
    await t?.stop();
  });

  it('ranks the two trainees behind one face above every ordinary item, naming both references and the formula', async () => {
    const { items: queue } = await items();
    const top = queue.slice(0, 2);
    expect(top.map((i) => i.traineeId).sort()).toEqual([twinA.id, twinB.id].sort());
    for (const item of top) {
      const shared = item.signals.find((s) => s.code === 'shared-face')!;
      expect(shared.name).toMatch(/[\u4e00-\u9fa5]/);
      expect(shared.detail).toContain(item.traineeId === twinA.id ? twinB.id : twinA.id);
      expect(shared.facts.filter((f) => f.kind === 'face-reference')).toHaveLength(2);
      expect(item.formula).toMatch(/^50×同一人脸对应多个学员账号\(\d\.\d+\)/);
    }
    const rest = queue.slice(2);
    expect(rest.length).toBeGreaterThanOrEqual(2);
    for (const item of rest) {
      expect(item.signals.map((s) => s.code)).not.toContain('shared-face');
      expect(item.score).toBeLessThan(Math.min(...top.map((i) => i.score)));
    }
    const manual = rest.find((i) => i.traineeId === honest.id)!;
    expect(manual.signals.map((s) => s.code)).toContain('manual-attendance');
    expect(manual.voidScopes).toContain('class-session');

    const detail = must('detail', await get('yc-hrss', `/oversight/items/${top[0].id}`)).body;
    expect(detail).toMatchObject({ id: top[0].id, rank: 1, openTotal: queue.length });
    // Filters narrow the page, and a bad filter is a 400 naming the field, never a 500.
    expect((await items('yc-hrss', '&signal=shared-face')).items.map((i) => i.id).sort()).toEqual(top.map((i) => i.id).sort());
    expect((await items('yc-hrss', `&institutionId=${'0'.repeat(24)}`)).total).toBe(0);
    const bad = await get('yc-hrss', '/oversight/items?signal=nope&pageSize=1000');
    expectError(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['pageSize', 'signal']);
    expectError(await get('yc-hrss', '/oversight/items/not-an-id'), 404, 'ITEM_NOT_FOUND');
    expectError(await get('yc-hrss', '/oversight/refresh/not-an-id'), 404, 'NOT_FOUND');
  });

  it('another jurisdiction sees none of these items; institutions and trainees never see the queue', async () => {
    const yc = await items();
    const zb = await items('zb-hrss');
    expect(zb.items.map((i) => i.traineeId)).toEqual([zbTrainee.id]);
    expect(yc.items.map((i) => i.traineeId)).not.toContain(zbTrainee.id);
    expectError(await get('zb-hrss', `/oversight/items/${yc.items[0].id}`), 404, 'ITEM_NOT_FOUND');
    expectError(await post('zb-hrss', `/oversight/items/${yc.items[0].id}/claim`), 404, 'ITEM_NOT_FOUND');
    expectError(await get('yc-hrss', `/oversight/items/${zb.items[0].id}`), 404, 'ITEM_NOT_FOUND');
    for (const user of ['yc-institution', 'trainee']) {
      expectError(await get(user, '/oversight/items'), 403, 'FORBIDDEN');
      expectError(await get(user, '/oversight/appeals'), 403, 'FORBIDDEN');
      expectError(await post(user, `/oversight/items/${yc.items[0].id}/void`, { scope: 'institution-credit', reason: 'x' }), 403, 'FORBIDDEN');
    }
  });

  it('a void needs a claim and a reason, removes exactly the credited seconds once, and is on the record with who did it', async () => {
    const item = await itemOf(twinB.id, 'trainee');
    const url = `/oversight/items/${item.id}`;
    expect(await hours(twinB.id)).toEqual({ online: 0, offline: 3600, practical: 0 });
    expectError(await post('yc-hrss', `${url}/void`, { scope: 'institution-credit', reason: '同一人脸对应两名学员' }), 409, 'ITEM_NOT_CLAIMED');
    must('claim', await post('yc-hrss', `${url}/claim`));
    expectError(await post('yc-reviewer', `${url}/claim`), 409, 'ITEM_CLAIMED');
    const blank = await post('yc-hrss', `${url}/void`, { scope: 'institution-credit', reason: '  ' });
    expectError(blank, 400, 'VALIDATION_FAILED');
    expect(blank.body.details.fields).toEqual([{ field: 'reason', reasons: ['请填写作废原因'] }]);
    expectError(await post('yc-hrss', `${url}/void`, { scope: 'session', reason: '同一人脸对应两名学员' }), 400, 'VOID_SCOPE_INVALID');
    expect(await hours(twinB.id)).toEqual({ online: 0, offline: 3600, practical: 0 });

    const done = must('void', await post('yc-hrss', `${url}/void`, { scope: 'institution-credit', reason: '同一人脸对应两名学员' })).body;
    expect(done).toMatchObject({ created: true, seconds: 3600, status: 'active', traineeId: twinB.id, by: ids['yc-hrss'], scopeName: '该学员在本培训机构的全部学时' });
    expect(await hours(twinB.id)).toEqual({ online: 0, offline: 0, practical: 0 });
    const again = must('void again', await post('yc-hrss', `${url}/void`, { scope: 'institution-credit', reason: '再次作废' })).body;
    expect(again).toMatchObject({ id: done.id, created: false });
    expect(await hours(twinB.id)).toEqual({ online: 0, offline: 0, practical: 0 });
    expect((await get('yc-hrss', url)).body.status).toBe('voided');

    const records = await audit({ action: 'oversight.void', 'target.id': done.id });
    expect(records).toHaveLength(1);
    expect(records[0].actor).toMatchObject({ kind: 'user', id: ids['yc-hrss'], role: 'auditor' });
    expect(await audit({ action: 'ledger.compensate', requestId: records[0].requestId })).toHaveLength(1);
  });

  it('the institution sees the void and appeals once; another institution cannot; a different auditor upholds it and the hours return, linked', async () => {
    const mine = must('voids', await get('yc-institution', '/oversight/voids')).body.items as Array<{ id: string; reason: string; traineeId: string }>;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ traineeId: twinB.id, reason: '同一人脸对应两名学员' });
    const voidId = mine[0].id;
    expect(must('zb voids', await get('zb-institution', '/oversight/voids')).body.items).toEqual([]);
    expect(must('zb auditor voids', await get('zb-hrss', '/oversight/voids')).body.items).toEqual([]);

    const appeal = (user: string, statement: string) => {
      const form = new FormData();
      form.set('statement', statement);
      form.append('files', new Blob([Buffer.from('李同脸本人身份证复印件')], { type: 'text/plain' }), '证明.txt');
      return fetch(`${t.baseUrl}/api/v1/oversight/voids/${voidId}/appeal`, { method: 'POST', headers: { authorization: `Bearer ${tok[user]}` }, body: form }).then(async (r) => ({ status: r.status, body: await r.json() }) as Reply);
    };
    expectError(await appeal('zb-institution', '不是同一人'), 404, 'VOID_NOT_FOUND');
    expectError(await appeal('yc-institution', ' '), 400, 'VALIDATION_FAILED');
    const filed = must('appeal', await appeal('yc-institution', '两人为双胞胎，均本人参训'), [201]).body;
    expect(filed).toMatchObject({ voidId, status: 'pending', byRole: 'institution', evidence: [{ name: '证明.txt' }] });
    expectError(await appeal('yc-institution', '再次申诉'), 409, 'APPEAL_EXISTS');
    const file = await fetch(`${t.baseUrl}/api/v1/oversight/appeals/${filed.id}/evidence/${filed.evidence[0].sha256}`, { headers: { authorization: `Bearer ${tok['yc-hrss']}` } });
    expect(await file.text()).toBe('李同脸本人身份证复印件');
    expect((await fetch(`${t.baseUrl}/api/v1/oversight/appeals/${filed.id}/evidence/${filed.evidence[0].sha256}`, { headers: { authorization: `Bearer ${tok['zb-institution']}` } })).status).toBe(404);

    expect(must('pending', await get('yc-reviewer', '/oversight/appeals')).body.items.map((a: { id: string }) => a.id)).toEqual([filed.id]);
    expect(must('zb pending', await get('zb-hrss', '/oversight/appeals')).body.items).toEqual([]);
    expectError(await post('yc-hrss', `/oversight/appeals/${filed.id}/decide`, { uphold: true, reason: '自己复核' }), 409, 'SAME_AUDITOR');
    expectError(await post('zb-hrss', `/oversight/appeals/${filed.id}/decide`, { uphold: true, reason: '越权' }), 404, 'APPEAL_NOT_FOUND');
    expectError(await post('yc-reviewer', `/oversight/appeals/${filed.id}/decide`, { uphold: 'yes', reason: '' }), 400, 'VALIDATION_FAILED');
    const decided = must('decide', await post('yc-reviewer', `/oversight/appeals/${filed.id}/decide`, { uphold: true, reason: '经回访核实为双胞胎，本人参训' })).body;
    expect(decided).toMatchObject({ status: 'upheld', decision: { by: ids['yc-reviewer'] } });
    expect(await hours(twinB.id)).toEqual({ online: 0, offline: 3600, practical: 0 });
    expectError(await post('yc-reviewer', `/oversight/appeals/${filed.id}/decide`, { uphold: true, reason: '再次' }), 409, 'APPEAL_DECIDED');
    expect(await hours(twinB.id)).toEqual({ online: 0, offline: 3600, practical: 0 });

    const after = must('voids after', await get('yc-institution', '/oversight/voids')).body.items[0];
    expect(after).toMatchObject({ status: 'restored', undone: { kind: 'restored', by: ids['yc-reviewer'], appealId: filed.id }, appeal: { status: 'upheld' } });
    const upheld = await audit({ action: 'oversight-appeal.uphold' });
    expect(upheld).toHaveLength(1);
    expect(upheld[0].actor).toMatchObject({ id: ids['yc-reviewer'] });
    expect(await audit({ action: 'ledger.restore', requestId: upheld[0].requestId })).toHaveLength(1);
  });

  it('a second auditor reverses a class-session void exactly once; the voiding auditor cannot', async () => {
    const item = await itemOf(honest.id, 'class-attendance');
    must('claim', await post('yc-hrss', `/oversight/items/${item.id}/claim`));
    const v = must('void', await post('yc-hrss', `/oversight/items/${item.id}/void`, { scope: 'class-session', reason: '签到表与现场照片不符' })).body;
    expect(v).toMatchObject({ scope: 'class-session', sessionId: classSessionId, seconds: 3600 });
    expect(await hours(honest.id)).toEqual({ online: 0, offline: 0, practical: 0 });
    expectError(await post('yc-hrss', `/oversight/voids/${v.id}/reverse`, { reason: '撤销' }), 409, 'SAME_AUDITOR');
    expectError(await post('zb-hrss', `/oversight/voids/${v.id}/reverse`, { reason: '撤销' }), 404, 'VOID_NOT_FOUND');
    expectError(await post('yc-institution', `/oversight/voids/${v.id}/reverse`, { reason: '撤销' }), 403, 'FORBIDDEN');
    const reversed = must('reverse', await post('yc-reviewer', `/oversight/voids/${v.id}/reverse`, { reason: '复核：纸质签到表有效' })).body;
    expect(reversed).toMatchObject({ status: 'reversed', undone: { kind: 'reversed', by: ids['yc-reviewer'] } });
    expect(await hours(honest.id)).toEqual({ online: 0, offline: 3600, practical: 0 });
    expectError(await post('yc-reviewer', `/oversight/voids/${v.id}/reverse`, { reason: '再次撤销' }), 409, 'VOID_NOT_ACTIVE');
    expect(await hours(honest.id)).toEqual({ online: 0, offline: 3600, practical: 0 });
    const records = await audit({ action: 'oversight.void.reverse', 'target.id': v.id });
    expect(records).toHaveLength(1);
    expect(await audit({ action: 'ledger.restore', requestId: records[0].requestId })).toHaveLength(1);
    // The item is back in the queue for whoever looks next.
    expect((await get('yc-reviewer', `/oversight/items/${item.id}`)).body.status).toBe('open');
  });

  it('confirms an item in order and keeps a watch list of the jurisdiction', async () => {
    const item = await itemOf(twinA.id, 'trainee');
    must('claim', await post('yc-reviewer', `/oversight/items/${item.id}/claim`));
    expectError(await post('yc-hrss', `/oversight/items/${item.id}/release`), 409, 'ITEM_NOT_CLAIMED');
    expect(must('confirm', await post('yc-reviewer', `/oversight/items/${item.id}/confirm`, { note: '本人参训，已回访' })).body.status).toBe('confirmed');
    expect((await items('yc-hrss', '&status=open')).items.map((i) => i.id)).not.toContain(item.id);

    expectError(await post('yc-hrss', '/oversight/watch', { kind: 'trainee', targetId: zbTrainee.id, reason: '越权' }), 400, 'WATCH_INVALID');
    const watched = must('watch', await post('yc-hrss', '/oversight/watch', { kind: 'trainee', targetId: twinA.id, reason: '同脸学员', factor: 3 }), [201]).body;
    expect(must('list', await get('yc-hrss', '/oversight/watch')).body.items.map((w: { id: string }) => w.id)).toEqual([watched.id]);
    expect(must('zb list', await get('zb-hrss', '/oversight/watch')).body.items).toEqual([]);
    // What the study context asks when this trainee opens a session (its face checks then come 3× as often).
    const studyWatch = t.app.get<StudyWatch>(StudyWatchToken, { strict: false });
    const subject = { traineeId: twinA.id, institutionId: watched.institutionId };
    expect(await studyWatch.factorFor(subject, Date.now())).toBe(3);
    expectError(await post('zb-hrss', `/oversight/watch/${watched.id}/end`), 404, 'WATCH_NOT_FOUND');
    expect(must('end', await post('yc-hrss', `/oversight/watch/${watched.id}/end`)).body.active).toBe(false);
    expect(await studyWatch.factorFor(subject, Date.now())).toBe(1);
    expectError(await post('yc-hrss', `/oversight/watch/${watched.id}/end`), 404, 'WATCH_NOT_FOUND');
  });
});
