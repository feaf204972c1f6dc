// The guard for the future: every state-changing route and socket event the app serves (read from
// its router, as the authorization matrix is) writes an audit record. The suite drives each one
// successfully against a real API process, sees every HTTP call it makes (and its x-request-id),
// and then requires, route by route, that each successful call left a record with that request
// id. A route added later fails here until a scenario below reaches it and it records itself —
// or it is exempted with a reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import { MongoClient } from 'mongodb';
import { AUDIT_LOG, isSignedCheckpoint } from '@app/audit';
import { usccCheckChar } from '@app/identity';
import { rosterXlsx, sampleRow } from '../../bench/roster';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { startTestApp, TestApp } from '../support/app';
import { day, iso } from '../support/offline';
import { makeClip, uploadRecording } from '../support/recordings';
import { activate, call, Reply } from '../support/auth-client';
import { discoverRoutes, discoverSocketEvents, RouteInfo } from '../support/routes';
import { face, liveFrame, makeTestVideo, ok, prepareStudy, StudyClient, studyEnv, StudyFixture } from '../support/study';
import { ScriptedPlayer } from '../support/study-player';

jest.setTimeout(600_000);

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Routes whose successful calls need not each write a record, and why. `recordedBy` names an
 * action that some call of the route must still have recorded.
 */
const PARTLY_EXEMPT: Record<string, { reason: string; recordedBy?: string }> = {
  'GET /api/v1/uploads': { reason: 'tus: creating an upload only opens a temporary file; the finished upload is recorded with its media job (below)' },
  'GET /api/v1/uploads/*path': { reason: 'tus: a PATCH appends bytes to the temporary file; the one that completes it creates the media job and records it', recordedBy: 'media-job.create' },
  'GET /api/v1/recording-uploads': { reason: 'tus: creating a recording upload only opens a temporary file; the finished file is recorded with its evidence (below)' },
  'GET /api/v1/recording-uploads/*path': { reason: 'tus: a PATCH appends bytes to the temporary file; the one that completes it keeps the file as evidence and records it', recordedBy: 'session-recording.add-file' },
  'POST /api/v1/audit/verify': { reason: 'checks the log against a checkpoint: a read, recorded as one (audit.verify.checkpoint)', recordedBy: 'audit.verify.checkpoint' },
  'POST /api/v1/compliance/rule-sets/:programId/preview': { reason: 'the editor\'s preview: judges stored inputs with a draft in memory and writes nothing' },
};

/** Socket events and the actions their successful use records on the session. */
const SOCKET_ACTIONS: Record<string, string[] | { exempt: string }> = {
  'StudyGateway study:open': ['study-session.open'],
  'StudyGateway study:capture': ['study-capture.submit', 'study-session.face-check'],
  'StudyGateway study:answer': ['study-session.prompt.answer'],
  'StudyGateway study:close': ['study-session.end', 'ledger.credit'],
  'StudyGateway study:heartbeat': {
    exempt:
      'every 15 s per trainee: the credit it adds stays provisional in the session until a face-check pass or the end settles it, and that settlement is recorded with its ledger entry (as are timeouts and endings a heartbeat notices)',
  },
  'PlatformGateway platform:ping': { exempt: 'clock sync: answers the server time, changes nothing' },
};

interface SeenCall {
  method: string;
  path: string;
  status: number;
  requestId: string | null;
}

const pathPattern = (path: string) => new RegExp(`^${path.replace(/\{\*[A-Za-z_]+\}|\*[A-Za-z_]+/g, '.+').replace(/:[A-Za-z_]+/g, '[^/]+')}$`);

describe('every state change is audited (generated from the router)', () => {
  let routesApp: TestApp;
  let routes: RouteInfo[];
  let socketEvents: string[];
  let t: MediaApp;
  let fx: StudyFixture;
  let videoDir: string;
  let mongo: MongoClient;
  const seen: SeenCall[] = [];
  const originalFetch = globalThis.fetch;

  beforeAll(async () => {
    // The router, read in-process; the scenarios run against a real API process (tus needs one).
    routesApp = await startTestApp('audit-coverage-routes', { SEED_ON_START: 'never' });
    routes = discoverRoutes(routesApp.app).filter((r) => STATE_CHANGING.has(r.method) || r.anyMethod);
    socketEvents = discoverSocketEvents(routesApp.app).map((e) => e.key);
    await routesApp.stop();

    videoDir = await mkdtemp(join(tmpdir(), 'audit-coverage-'));
    t = await startMediaApp('audit-coverage', studyEnv({ STUDY_PROMPT_INTERVAL_MIN_SECONDS: '10', STUDY_PROMPT_INTERVAL_MAX_SECONDS: '10', STUDY_PROMPT_WINDOW_SECONDS: '30', OVERSIGHT_SAMPLE_RATE: '1' }));
    mongo = await MongoClient.connect(t.db.uri);
    globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await originalFetch(input, init);
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (url.origin === t.baseUrl) {
        const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
        seen.push({ method, path: url.pathname, status: res.status, requestId: res.headers.get('x-request-id') });
      }
      return res;
    };
    fx = await prepareStudy(t.baseUrl, t.passwords, { video: await makeTestVideo(videoDir, 40) });
  }, 600_000);

  afterAll(async () => {
    globalThis.fetch = originalFetch;
    await mongo?.close();
    await t?.stop();
    await rm(videoDir, { recursive: true, force: true });
  });

  const log = () => mongo.db(t.db.dbName).collection(AUDIT_LOG);
  const expectOk = (what: string, res: Reply) => {
    if (res.status < 200 || res.status >= 300) throw new Error(`scenario ${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const post = async (token: string, url: string, body: unknown = {}) => expectOk(`POST ${url}`, await call(t.baseUrl, 'POST', url, { token, body }));
  const multipart = async (token: string, url: string, form: FormData) => {
    const res = await fetch(`${t.baseUrl}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(180_000) });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) throw new Error(`scenario POST ${url}: ${res.status} ${text}`);
    return JSON.parse(text || 'null');
  };

  it('drives every state-changing route and socket event to success', async () => {
    const base = t.baseUrl;
    const { admin, institution, auditor, trainee } = fx.tokens;

    // Accounts and sessions.
    const spare = await activate(base, 'zb-institution', t.passwords.get('zb-institution')!);
    await post(spare.accessToken, '/api/v1/auth/refresh', { refreshToken: spare.refreshToken });
    await post(spare.accessToken, '/api/v1/auth/logout');
    const orgs = (await call(base, 'GET', '/api/v1/organisations', { token: admin })).body.items as Array<{ id: string; kind: string; regionCode: string; uscc?: string; name: string }>;
    const department = orgs.find((o) => o.kind === 'department' && o.regionCode.startsWith('2307'))!;
    const staff = await post(admin, '/api/v1/users', { username: `cov-${Date.now().toString(36)}`, displayName: '覆盖测试', role: 'auditor', organisationId: department.id });
    await expectOk('PATCH user', await call(base, 'PATCH', `/api/v1/users/${staff.body.user.id}`, { token: admin, body: { disabled: true } }));
    await post(admin, `/api/v1/users/${staff.body.user.id}/reset-password`);
    const uscc17 = `9123070${Date.now().toString().slice(-10)}`;
    await post(admin, '/api/v1/organisations', { kind: 'enterprise', name: '覆盖测试矿业有限公司', uscc: uscc17 + usccCheckChar(uscc17), regionCode: '230702', industry: '矿山' });

    // Catalog.
    await expectOk('PATCH course', await call(base, 'PATCH', `/api/v1/courses/${fx.courseId}`, { token: admin, body: { title: '在线学习测试课程（改）' } }));
    const lesson = await post(admin, `/api/v1/courses/${fx.courseId}/lessons`, { title: '第二课' });
    await expectOk('PATCH lesson', await call(base, 'PATCH', `/api/v1/lessons/${lesson.body.id}`, { token: admin, body: { title: '第二课（改）' } }));
    await expectOk('PUT lesson-order', await call(base, 'PUT', `/api/v1/courses/${fx.courseId}/lesson-order`, { token: admin, body: { lessonIds: [lesson.body.id, fx.lessonId] } }));
    await expectOk('PATCH study-settings', await call(base, 'PATCH', `/api/v1/programs/${fx.programId}/study-settings`, { token: admin, body: { electiveTargets: [] } }));

    // Trainees, consent, face references.
    const program = (await call(base, 'GET', `/api/v1/programs/${fx.programId}`)).body as { categories: Array<{ code: string; name: string }> };
    const enterprises = orgs.filter((o) => o.kind === 'enterprise' && o.regionCode.startsWith('2307'));
    const row = sampleRow(7001, enterprises as never, program.categories.map((c) => c.name));
    const registered = await post(institution, '/api/v1/trainees', {
      programId: fx.programId,
      name: row.name,
      idNumber: String(row.idNumber),
      enterpriseId: enterprises[0].id,
      category: program.categories[0].code,
    });
    const other = registered.body.id as string;
    const form = new FormData();
    form.set('programId', fx.programId);
    form.set('file', new Blob([new Uint8Array(await rosterXlsx([sampleRow(7002, enterprises as never, program.categories.map((c) => c.name))]))]), 'roster.xlsx');
    await multipart(institution, '/api/v1/trainees/import', form);
    await post(institution, `/api/v1/trainees/${other}/account`, { username: `cov-t-${Date.now().toString(36)}` });
    await post(institution, `/api/v1/trainees/${other}/account/reset-password`);
    const text = (await call(base, 'GET', '/api/v1/consents/face-text', { token: institution })).body as { version: string };
    const paper = new FormData();
    paper.set('textVersion', text.version);
    paper.set('signedOn', new Date().toISOString().slice(0, 10));
    paper.set('scan', new Blob([new Uint8Array(Buffer.from('%PDF-1.4\n%%EOF\n'))], { type: 'application/pdf' }), 'consent.pdf');
    await multipart(institution, `/api/v1/trainees/${other}/face-consent/paper`, paper);
    // The demo trainee's face again, for another trainee: held for review as one person behind two records.
    const photo = new FormData();
    photo.set('image', new Blob([new Uint8Array(await face('obama-2.jpg'))], { type: 'image/jpeg' }), 'photo.jpg');
    const held = (await multipart(institution, `/api/v1/trainees/${other}/face-references`, photo)) as { id: string; status: string };
    expect(held.status).toBe('held_for_review');
    await post(auditor, `/api/v1/trainees/${other}/face-references/${held.id}/review`, { decision: 'reject', reason: '与他人底库照片为同一人' });
    await post(institution, `/api/v1/trainees/${other}/face-consent/paper-withdrawal`, { reason: '学员书面撤回' });

    // Offline training: instructors, a class with its roster (one by one and by xlsx), its timetable,
    // a kiosk signing the demo trainee in by face, manual attendance, and a past session accepted.
    const offlineTeacher = await post(institution, '/api/v1/offline/instructors', {
      name: '覆盖测试教师', idNumber: sampleRow(7003, enterprises as never, ['x']).idNumber, role: 'teacher', employment: 'full_time', title: '高级工程师', titleLevel: 'senior', specialty: '矿山安全', safetyMajor: true, safetyTeacher: true, yearsOfPractice: 9,
    });
    await expectOk('PATCH instructor', await call(base, 'PATCH', `/api/v1/offline/instructors/${offlineTeacher.body.id}`, { token: institution, body: { yearsOfPractice: 10 } }));
    const offlineClass = await post(institution, '/api/v1/offline/classes', { programId: fx.programId, name: '覆盖测试班次', category: 'team_leader', industry: '矿山', location: '伊春', startDate: day(-1), endDate: day(2) });
    const classUrl = `/api/v1/offline/classes/${offlineClass.body.id}`;
    await expectOk('PATCH class', await call(base, 'PATCH', classUrl, { token: institution, body: { status: 'published' } }));
    await post(institution, `${classUrl}/roster`, { traineeId: fx.traineeId });
    const leaderId = sampleRow(7004, enterprises as never, ['x']).idNumber;
    const leader = await post(institution, '/api/v1/trainees', { programId: fx.programId, name: '覆盖测试班组长', idNumber: String(leaderId), enterpriseId: enterprises[0].id, category: 'team_leader' });
    const sheet = new ExcelJS.Workbook();
    sheet.addWorksheet('花名册').addRows([['姓名', '身份证号'], ['覆盖测试班组长', String(leaderId)]]);
    const rosterForm = new FormData();
    rosterForm.set('file', new Blob([new Uint8Array(await sheet.xlsx.writeBuffer())]), 'class-roster.xlsx');
    expect((await multipart(institution, `${classUrl}/roster/import`, rosterForm)).added).toBe(1);
    const leaving = await post(institution, '/api/v1/trainees', { programId: fx.programId, name: '覆盖测试移出', idNumber: String(sampleRow(7005, enterprises as never, ['x']).idNumber), enterpriseId: enterprises[0].id, category: 'team_leader' });
    await post(institution, `${classUrl}/roster`, { traineeId: leaving.body.id });
    await post(institution, `${classUrl}/roster/${leaving.body.id}/remove`, { reason: '学员调岗' });
    const now = Date.now();
    const live = await post(institution, `${classUrl}/sessions`, { startsAt: iso(now - 600_000), endsAt: iso(now + 3_000_000), kind: 'theory', topic: '覆盖测试', instructorId: offlineTeacher.body.id, room: '覆盖1', reason: '开课后录入' });
    // Half a minute, so that a half-minute clip is its whole recording.
    const past = await post(institution, `${classUrl}/sessions`, { startsAt: iso(now - 3 * 3600_000), endsAt: iso(now - 3 * 3600_000 + 30_000), kind: 'practical', topic: '覆盖测试实训', instructorId: offlineTeacher.body.id, room: '覆盖2', reason: '补录' });
    await expectOk('PATCH session', await call(base, 'PATCH', `/api/v1/offline/sessions/${live.body.id}`, { token: institution, body: { topic: '覆盖测试（改）', reason: '内容调整' } }));
    const kiosk = (await post(institution, `/api/v1/offline/sessions/${live.body.id}/kiosk`)).body.token as string;
    const kioskFrame = new FormData();
    kioskFrame.set('image', new Blob([new Uint8Array(await liveFrame('obama-2.jpg'))], { type: 'image/jpeg' }), 'frame.jpg');
    expect((await multipart(kiosk, '/api/v1/offline/kiosk/captures', kioskFrame)).outcome).toBe('sign-in');
    expect((await post(institution, `/api/v1/offline/sessions/${live.body.id}/kiosk/close`)).body.closed).toBe(1);
    await post(institution, `/api/v1/offline/sessions/${past.body.id}/attendance`, { traineeId: leader.body.id, signInAt: iso(now - 3 * 3600_000), signOutAt: iso(now - 3 * 3600_000 + 30_000), reason: '签到终端故障，按纸质签到表补登' });
    // Its recording over tus: passing, it accepts the session.
    const recording = await uploadRecording(base, institution, past.body.id, await makeClip(videoDir, 'session.mp4', 30), 'session.mp4');
    expect([recording.status, recording.passed, recording.accepted]).toEqual([204, 'true', 'true']);

    // Study over socket.io: open, the start check, a prompt answered, close.
    const client = await StudyClient.connect(base, trainee);
    try {
      const view = ok(await client.open(fx.lessonId));
      expect(ok(await client.capture(view.sessionId, view.checks.face!.id, await liveFrame('obama-2.jpg'))).outcome).toBe('match');
      const player = new ScriptedPlayer(client, view);
      let prompt: { id: string; question: string } | undefined;
      for (let i = 0; i < 20 && !prompt; i++) prompt = (await player.play(1)).find((a) => a.checks.prompt?.status === 'outstanding')?.checks.prompt;
      expect(prompt).toBeDefined();
      ok(await client.answer(view.sessionId, prompt!.id, prompt!.question.replace(/\D+/g, '')));
      await player.play(2);
      ok(await client.close(view.sessionId));
      const actions = new Set((await log().find({ $or: [{ 'target.id': view.sessionId }, { 'after.sessionId': view.sessionId }] }).toArray()).map((r) => r.action as string));
      const missing: string[] = [];
      for (const key of socketEvents) {
        const expected = SOCKET_ACTIONS[key];
        if (!expected) missing.push(`${key}: not classified — list the actions it records, or exempt it with a reason`);
        else if (Array.isArray(expected)) for (const a of expected) if (!actions.has(a)) missing.push(`${key}: no ${a} record for the session`);
      }
      expect(missing).toEqual([]);
    } finally {
      client.disconnect();
    }

    // Oversight: a refresh, a claim released and taken again, a class-session void reversed by a second
    // auditor, a study-session void appealed by the trainee and upheld, a confirmation, a watch set and ended.
    const refresh = (await post(auditor, '/api/v1/oversight/refresh')).body.jobId as string;
    for (let i = 0; (await call(base, 'GET', `/api/v1/oversight/refresh/${refresh}`, { token: auditor })).body.status !== 'succeeded'; i++) {
      if (i > 150) throw new Error('scenario: the oversight refresh did not finish');
      await new Promise((r) => setTimeout(r, 200));
    }
    const queue = (await call(base, 'GET', '/api/v1/oversight/items?pageSize=100', { token: auditor })).body.items as Array<{ id: string; traineeId: string; subjectKind: string }>;
    const attendanceItem = queue.find((i) => i.traineeId === leader.body.id && i.subjectKind === 'class-attendance')!.id;
    const sessionItem = queue.find((i) => i.traineeId === fx.traineeId && i.subjectKind === 'study-session')!.id;
    await post(auditor, `/api/v1/oversight/items/${attendanceItem}/claim`);
    await post(auditor, `/api/v1/oversight/items/${attendanceItem}/release`);
    await post(auditor, `/api/v1/oversight/items/${attendanceItem}/claim`);
    const voidedClass = (await post(auditor, `/api/v1/oversight/items/${attendanceItem}/void`, { scope: 'class-session', reason: '签到表存疑' })).body.id as string;
    await post(auditor, `/api/v1/oversight/items/${sessionItem}/claim`);
    const voidedSession = (await post(auditor, `/api/v1/oversight/items/${sessionItem}/void`, { scope: 'session', reason: '抓拍照片存疑' })).body.id as string;
    const reviewerAccount = await post(admin, '/api/v1/users', { username: `cov-r-${Date.now().toString(36)}`, displayName: '覆盖测试复核', role: 'auditor', organisationId: department.id });
    const reviewer = (await activate(base, reviewerAccount.body.user.username, reviewerAccount.body.initialPassword)).accessToken;
    await post(reviewer, `/api/v1/oversight/voids/${voidedClass}/reverse`, { reason: '纸质签到表有效' });
    const appealForm = new FormData();
    appealForm.set('statement', '本人学习，照片光线不足');
    appealForm.append('files', new Blob([Buffer.from('说明')], { type: 'text/plain' }), '说明.txt');
    const appeal = await multipart(trainee, `/api/v1/oversight/voids/${voidedSession}/appeal`, appealForm);
    await post(reviewer, `/api/v1/oversight/appeals/${appeal.id}/decide`, { uphold: true, reason: '复核为本人' });
    await post(reviewer, `/api/v1/oversight/items/${attendanceItem}/claim`);
    await post(reviewer, `/api/v1/oversight/items/${attendanceItem}/confirm`, { note: '复核无异常' });
    const watched = (await post(auditor, '/api/v1/oversight/watch', { kind: 'trainee', targetId: other, reason: '同脸复核' })).body.id as string;
    await post(auditor, `/api/v1/oversight/watch/${watched}/end`);
    // Compliance: the administrator previews a rule-set draft, then saves it as the next version.
    // The draft asks for nothing but the exam, so the class's trainees may sit it below.
    const ruleSet = (await call(base, 'GET', `/api/v1/compliance/rule-sets/${fx.programId}`, { token: admin })).body as { version: number; body: { minutesPerHour: number; categories: object[] } };
    const draft = {
      ...ruleSet.body,
      requiredCoursesMustFinish: false,
      categories: ruleSet.body.categories.map((c) => ({ ...c, minHours: 0, electiveMinHours: 0, offlineShare: undefined, practicalShare: undefined })),
    };
    expect((await post(admin, `/api/v1/compliance/rule-sets/${fx.programId}/preview`, { body: draft })).body.problems).toEqual([]);
    await post(admin, `/api/v1/compliance/rule-sets/${fx.programId}/versions`, { baseVersion: ruleSet.version, note: '覆盖测试：只要求结业考试', body: draft });

    // Exams: a paper sitting of the class, scheduled and its results recorded.
    const exam = await post(admin, `${classUrl.replace('/offline/classes/', '/exams/classes/')}/sittings`, {
      kind: 'first', paperCode: 'COV-1', paperTitle: '覆盖测试结业考试', startsAt: iso(now - 3600_000), endsAt: iso(now + 3600_000), location: '伊春',
    });
    const candidates = exam.body.sitting.candidates as Array<{ traineeId: string }>;
    expect(candidates.length).toBeGreaterThan(0);
    await post(admin, `/api/v1/exams/sittings/${exam.body.sitting.id}/results`, { invigilators: ['覆盖测试监考'], results: candidates.map((c) => ({ traineeId: c.traineeId, score: 80 })) });

    // The trainee withdraws their own consent last (their study needed it).
    await post(trainee, `/api/v1/trainees/${fx.traineeId}/face-consent/withdraw`);
    const checkpoint = await waitForCheckpoint(admin);
    await post(auditor, '/api/v1/audit/verify', checkpoint);
  });

  async function waitForCheckpoint(token: string): Promise<unknown> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await call(t.baseUrl, 'GET', '/api/v1/audit/checkpoints/latest', { token });
      if (res.status === 200 && isSignedCheckpoint(res.body)) return res.body;
      if (Date.now() > deadline) throw new Error('no checkpoint');
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('every successful call of a state-changing route left an audit record with its request id', async () => {
    const problems: string[] = [];
    for (const r of routes) {
      const pattern = pathPattern(r.path);
      const calls = seen.filter((c) => (r.anyMethod ? STATE_CHANGING.has(c.method) : c.method === r.method) && pattern.test(c.path) && c.status >= 200 && c.status < 300);
      if (calls.length === 0) {
        problems.push(`${r.key}: no scenario reached it successfully — add one to this suite`);
        continue;
      }
      const exempt = PARTLY_EXEMPT[r.key];
      const recorded = await Promise.all(calls.map(async (c) => ({ c, actions: (await log().find({ requestId: c.requestId }).toArray()).map((d) => d.action as string) })));
      if (exempt) {
        if (exempt.recordedBy && !recorded.some((x) => x.actions.includes(exempt.recordedBy!))) problems.push(`${r.key}: no call recorded ${exempt.recordedBy}`);
        continue;
      }
      for (const { c, actions } of recorded) if (actions.length === 0) problems.push(`${r.key}: ${c.method} ${c.path} → ${c.status} wrote no audit record`);
    }
    expect(problems).toEqual([]);
    expect(routes.length).toBeGreaterThan(20);
  });

  it('the exemptions name routes that exist', () => {
    const keys = new Set(routes.map((r) => r.key));
    expect(Object.keys(PARTLY_EXEMPT).filter((k) => !keys.has(k))).toEqual([]);
    expect(Object.keys(SOCKET_ACTIONS).filter((k) => !socketEvents.includes(k))).toEqual([]);
  });
});
