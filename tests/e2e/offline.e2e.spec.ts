// Offline classes over HTTP against the real app and database: composition and size rules,
// double bookings, tenant isolation, manual attendance, and acceptance writing the hours to the
// ledger exactly once. Acceptance has no route of its own — a passing recording calls it
// (recordings.e2e.spec.ts) — so its ledger rules are driven here through the use case in the app.
// (Face attendance at the kiosk: offline-kiosk.e2e.spec.ts.)
import { MongoClient } from 'mongodb';
import * as ExcelJS from 'exceljs';
import { AUDIT_LOG, AuditTrail } from '@app/audit';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';
import { acceptInApp, addSession, createClass, createInstructor, freshIdNumber, importTrainees, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';

const H = 3600_000;

describe('offline classes (e2e)', () => {
  let t: TestApp;
  let mongo: MongoClient;
  const tok: Record<string, string> = {};
  let programId: string;
  let enterprise: { id: string; uscc: string; name: string };
  let leader: { id: string; idNumber: string };
  let deputy: { id: string; idNumber: string };
  let instructorId: string;
  let classId: string;

  beforeAll(async () => {
    t = await startTestApp('offline');
    mongo = await MongoClient.connect(t.db.uri);
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'zb-institution', 'yc-hrss', 'trainee']) tok[u] = (await activate(t.baseUrl, u, pw.get(u)!)).accessToken;
    programId = await ycProgramId(t.baseUrl);
    enterprise = await ycEnterprise(t.baseUrl, tok['yc-institution']);
    leader = await registerTrainee(t.baseUrl, tok['yc-institution'], programId, enterprise.id, 'team_leader', '班组长甲');
    deputy = await registerTrainee(t.baseUrl, tok['yc-institution'], programId, enterprise.id, 'deputy_head', '负责人乙');
    instructorId = await createInstructor(t.baseUrl, tok['yc-institution']);
    classId = await createClass(t.baseUrl, tok['yc-institution'], programId);
  });
  afterAll(async () => {
    await mongo?.close();
    await t?.stop();
  });

  const audit = (filter: object) => mongo.db(t.db.dbName).collection(AUDIT_LOG).find(filter).toArray();
  const inst = () => tok['yc-institution'];
  /** The use case a passing recording calls, as the 伊春 institution. */
  const accept = (sessionId: string) => acceptInApp(t.app, inst(), sessionId);
  const roster = (id: string, body: object, token = inst()) => call(t.baseUrl, 'POST', `/api/v1/offline/classes/${id}/roster`, { token, body });

  it('refuses a trainee of another personnel category with a zh-CN reason, and accepts one of the class category', async () => {
    const mixed = await roster(classId, { traineeId: deputy.id });
    expect(mixed.status).toBe(400);
    expect(mixed.body.code).toBe('CLASS_COMPOSITION_MIXED');
    expect(mixed.body.message).toMatch(/大合堂/);
    expect(mixed.body.message).toMatch(/班组长/);
    expect(mixed.body.details.source).toContain('001_0f59b514324dcfca.txt');
    expect((await roster(classId, { traineeId: leader.id })).status).toBe(201);
    expect((await roster(classId, { traineeId: leader.id })).body.code).toBe('TRAINEE_ALREADY_IN_CLASS');
    const detail = must('detail', await call(t.baseUrl, 'GET', `/api/v1/offline/classes/${classId}`, { token: inst() }));
    expect(detail.body.roster.map((r: { traineeId: string }) => r.traineeId)).toEqual([leader.id]);
    expect(await audit({ action: 'offline-roster.add', 'target.id': classId })).toHaveLength(1);
  });

  it('the same trainee added twice at once is on the roster once; the other request is told so', async () => {
    const cls = await createClass(t.baseUrl, inst(), programId);
    const someone = await registerTrainee(t.baseUrl, inst(), programId, enterprise.id, 'team_leader', '并发学员');
    const replies = await Promise.all([roster(cls, { traineeId: someone.id }), roster(cls, { traineeId: someone.id })]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(replies.find((r) => r.status === 409)!.body.code).toBe('TRAINEE_ALREADY_IN_CLASS');
    expect(must('detail', await call(t.baseUrl, 'GET', `/api/v1/offline/classes/${cls}`, { token: inst() })).body).toMatchObject({ size: 1, roster: [{ traineeId: someone.id }] });
  });

  it('takes someone off the roster only with a reason, and not once they have attendance', async () => {
    const cls = await createClass(t.baseUrl, inst(), programId);
    const someone = await registerTrainee(t.baseUrl, inst(), programId, enterprise.id, 'team_leader', '移出学员');
    must('add', await roster(cls, { traineeId: someone.id }));
    const remove = (body: object) => call(t.baseUrl, 'POST', `/api/v1/offline/classes/${cls}/roster/${someone.id}/remove`, { token: inst(), body });
    expect((await remove({ reason: ' ' })).status).toBe(400);
    expect((await call(t.baseUrl, 'POST', `/api/v1/offline/classes/${cls}/roster/${someone.id}/remove`, { token: tok['zb-institution'], body: { reason: '越权' } })).status).toBe(404);
    expect((await remove({ reason: '学员调岗，改参加下一期' })).status).toBe(204);
    expect(must('detail', await call(t.baseUrl, 'GET', `/api/v1/offline/classes/${cls}`, { token: inst() })).body).toMatchObject({ size: 0, roster: [] });
    const [rec] = await audit({ action: 'offline-roster.remove', 'target.id': cls });
    expect(rec).toMatchObject({ reason: '学员调岗，改参加下一期', before: { traineeId: someone.id, size: 1 }, after: { size: 0 } });
    expect((await remove({ reason: '再次' })).body.code).toBe('NOT_ON_ROSTER');
    // With attendance on record the person stays.
    must('again', await roster(cls, { traineeId: someone.id }));
    const now = Date.now();
    const s = must('s', await addSession(t.baseUrl, inst(), cls, { startsAt: iso(now - 12 * H), endsAt: iso(now - 11 * H), instructorId, room: '补录4', reason: '补录' })).body.id;
    must('att', await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${s}/attendance`, { token: inst(), body: { traineeId: someone.id, signInAt: iso(now - 12 * H), reason: '补登' } }));
    expect((await remove({ reason: '移出' })).body.code).toBe('ROSTER_HAS_ATTENDANCE');
  });

  it('refuses a class of a category or industry the program does not have', async () => {
    const res = await call(t.baseUrl, 'POST', '/api/v1/offline/classes', { token: inst(), body: { programId, name: 'x', category: 'team_leader', industry: '危险化学品', location: 'x', startDate: '2025-06-01', endDate: '2025-06-02' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CLASS_INVALID');
  });

  it('over the 40 cap of deputy heads: refused without a justification, accepted and flagged with one', async () => {
    const deputyClass = await createClass(t.baseUrl, inst(), programId, { category: 'deputy_head' });
    const ids = await importTrainees(t.baseUrl, inst(), programId, enterprise, '安全生产与职业健康分管负责人', 41);
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('花名册');
    ws.addRow(['姓名', '身份证号']);
    ids.forEach((id) => ws.addRow(['批量学员', id]));
    ws.addRow(['无此人', '230702196801010011']);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await book.xlsx.writeBuffer())]), 'class-roster.xlsx');
    const res = await fetch(`${t.baseUrl}/api/v1/offline/classes/${deputyClass}/roster/import`, { method: 'POST', headers: { authorization: `Bearer ${inst()}` }, body: form });
    const report = await res.json();
    expect(res.status).toBe(200);
    expect(report.added).toBe(40);
    expect(report.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [42, 'CLASS_SIZE_JUSTIFICATION_REQUIRED'],
      [43, expect.stringMatching(/ID_NUMBER_INVALID|TRAINEE_NOT_FOUND/)],
    ]);
    expect(report.errors[0].idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    const last = (await call(t.baseUrl, 'GET', `/api/v1/trainees?idNumber=${ids[40]}`, { token: inst() })).body.items[0].id;
    expect((await roster(deputyClass, { traineeId: last, justification: '   ' })).body.code).toBe('CLASS_SIZE_JUSTIFICATION_REQUIRED');
    expect((await roster(deputyClass, { traineeId: last, justification: '矿区偏远，分管负责人集中一期培训' })).status).toBe(201);
    const cls = must('class', await call(t.baseUrl, 'GET', `/api/v1/offline/classes/${deputyClass}`, { token: tok['yc-hrss'] })).body;
    expect(cls).toMatchObject({ size: 41, flagged: true, sizeOverride: { cap: 40, size: 41, justification: '矿区偏远，分管负责人集中一期培训' } });
    const [flag] = await audit({ action: 'offline-class.size-override', 'target.id': deputyClass });
    expect(flag).toMatchObject({ reason: '矿区偏远，分管负责人集中一期培训', after: { cap: 40, size: 41, flagged: true } });
  });

  it('refuses double-booked instructors, rooms and trainees', async () => {
    // Room 901: no other case books it (another one's session falls on the next China day at 08:00, inside this window when run 16:00–24:00 UTC).
    const start = Date.now() + 26 * H;
    must('session', await addSession(t.baseUrl, inst(), classId, { startsAt: iso(start), endsAt: iso(start + 2 * H), instructorId, room: '901 教室' }));
    const other = await createClass(t.baseUrl, inst(), programId);
    const teacher2 = await createInstructor(t.baseUrl, inst(), '第二教师');
    const sameTeacher = await addSession(t.baseUrl, inst(), other, { startsAt: iso(start + H), endsAt: iso(start + 3 * H), instructorId, room: '302' });
    expect([sameTeacher.status, sameTeacher.body.code]).toEqual([409, 'INSTRUCTOR_CLASH']);
    const sameRoom = await addSession(t.baseUrl, inst(), other, { startsAt: iso(start + H), endsAt: iso(start + 3 * H), instructorId: teacher2, room: '901教室' });
    expect([sameRoom.status, sameRoom.body.code]).toEqual([409, 'ROOM_CLASH']);
    // Back to back is not a clash.
    must('back-to-back', await addSession(t.baseUrl, inst(), other, { startsAt: iso(start + 2 * H), endsAt: iso(start + 3 * H), instructorId, room: '901 教室' }));
    must('parallel', await addSession(t.baseUrl, inst(), other, { startsAt: iso(start), endsAt: iso(start + H), instructorId: teacher2, room: '303' }));
    const busy = await roster(other, { traineeId: leader.id });
    expect([busy.status, busy.body.code]).toEqual([409, 'TRAINEE_SCHEDULE_CLASH']);
  });

  it('a teacher registered by two institutions cannot teach at both at once, and neither learns the other’s session', async () => {
    const zb = tok['zb-institution'];
    const zbProgram = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'ZB-2024').id;
    const person = { name: '两地教师', idNumber: freshIdNumber('230704'), role: 'teacher', employment: 'part_time', title: '高级工程师', titleLevel: 'senior', specialty: '安全', safetyMajor: true, safetyTeacher: true, yearsOfPractice: 8 };
    const ycTeacher = must('yc', await call(t.baseUrl, 'POST', '/api/v1/offline/instructors', { token: inst(), body: person })).body.id;
    const zbTeacher = must('zb', await call(t.baseUrl, 'POST', '/api/v1/offline/instructors', { token: zb, body: person })).body.id;
    const zbClass = await createClass(t.baseUrl, zb, zbProgram, { industry: '危险化学品' });
    const start = Date.now() + 30 * H;
    must('yc session', await addSession(t.baseUrl, inst(), classId, { startsAt: iso(start), endsAt: iso(start + 2 * H), instructorId: ycTeacher }));
    const clash = await addSession(t.baseUrl, zb, zbClass, { startsAt: iso(start + H), endsAt: iso(start + 3 * H), instructorId: zbTeacher });
    expect([clash.status, clash.body.code]).toEqual([409, 'INSTRUCTOR_CLASH']);
    expect(clash.body.message).toContain('其他培训机构');
    expect(clash.body.details).toBeUndefined();
    must('later', await addSession(t.baseUrl, zb, zbClass, { startsAt: iso(start + 2 * H), endsAt: iso(start + 3 * H), instructorId: zbTeacher }));
  });

  it('one institution never sees or changes another one’s classes', async () => {
    const zb = tok['zb-institution'];
    expect((await call(t.baseUrl, 'GET', `/api/v1/offline/classes/${classId}`, { token: zb })).status).toBe(404);
    expect((await call(t.baseUrl, 'GET', '/api/v1/offline/classes', { token: zb })).body.items.map((c: { id: string }) => c.id)).not.toContain(classId);
    expect((await call(t.baseUrl, 'GET', '/api/v1/offline/classes', { token: tok['yc-hrss'] })).body.items.map((c: { id: string }) => c.id)).toContain(classId);
    expect((await roster(classId, { traineeId: leader.id }, zb)).status).toBe(404);
    expect((await call(t.baseUrl, 'GET', `/api/v1/offline/classes/${classId}/sessions`, { token: zb })).status).toBe(404);
    expect((await call(t.baseUrl, 'GET', '/api/v1/offline/instructors', { token: zb })).body.items.map((i: { id: string }) => i.id)).not.toContain(instructorId);
  });

  it('offline and practical seconds reach the ledger exactly once when a session is accepted, and never before', async () => {
    const hours = async () => must('hours', await call(t.baseUrl, 'GET', `/api/v1/trainees/${leader.id}/hours`, { token: inst() })).body.bySource;
    const now = Date.now();
    const noReason = await addSession(t.baseUrl, inst(), classId, { startsAt: iso(now - 3 * H), endsAt: iso(now - 2 * H), instructorId, room: '补录1' });
    expect(noReason.body.code).toBe('SESSION_CHANGE_REASON_REQUIRED');
    const theory = must('past theory', await addSession(t.baseUrl, inst(), classId, { startsAt: iso(now - 5 * H), endsAt: iso(now - 3 * H), instructorId, room: '补录1', reason: '系统上线前已开课，补录课程表' })).body.id;
    const practical = must('past practical', await addSession(t.baseUrl, inst(), classId, { kind: 'practical', startsAt: iso(now - 3 * H), endsAt: iso(now - 2 * H), instructorId, room: '实训车间', reason: '补录' })).body.id;

    const manual = (sessionId: string, body: object) => call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${sessionId}/attendance`, { token: inst(), body: { traineeId: leader.id, ...body } });
    expect((await manual(theory, { signInAt: iso(now - 5 * H) })).status).toBe(400); // no reason
    must('theory attendance', await manual(theory, { signInAt: iso(now - 5 * H - 600_000), signOutAt: iso(now - 3.5 * H), reason: '签到终端故障，按纸质签到表补登' }));
    const p = must('practical attendance', await manual(practical, { signInAt: iso(now - 3 * H), signOutAt: iso(now - 2 * H), reason: '补登' })).body;
    expect(p.flagged).toBe(true);

    expect(await hours()).toEqual({ online: 0, offline: 0, practical: 0 });
    // The trainee's login is opened only now, after the roster was made: they still see their rows.
    const account = must('account', await call(t.baseUrl, 'POST', `/api/v1/trainees/${leader.id}/account`, { token: inst(), body: { username: 'offline-leader' } })).body;
    const leaderToken = (await activate(t.baseUrl, 'offline-leader', account.initialPassword)).accessToken;
    const me = async () => must('me', await call(t.baseUrl, 'GET', '/api/v1/offline/me', { token: leaderToken })).body;
    expect(await me()).toMatchObject({ pendingSeconds: 5400 + 3600, creditedSeconds: 0 });
    const sheet = must('sheet', await call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${theory}/attendance`, { token: tok['yc-hrss'] })).body;
    expect(sheet.rows[0]).toMatchObject({ traineeId: leader.id, seconds: 1.5 * 3600, hours: 'pending', attendance: { flagged: true } });

    const first = await accept(theory);
    expect(first).toMatchObject({ credited: 1, seconds: 5400, session: { status: 'accepted' } });
    expect(await hours()).toEqual({ online: 0, offline: 5400, practical: 0 });
    const again = await accept(theory);
    expect(again.credited).toBe(0);
    // Concurrent retries of the practical one: one ledger entry.
    const [a, b] = await Promise.all([accept(practical), accept(practical)]);
    expect(a.credited + b.credited).toBe(1);
    expect(await hours()).toEqual({ online: 0, offline: 5400, practical: 3600 });
    expect(await me()).toMatchObject({ pendingSeconds: 0, creditedSeconds: 5400 + 3600 });
    const own = must('own hours', await call(t.baseUrl, 'GET', '/api/v1/study/me/progress', { token: leaderToken })).body;
    expect(own.programs[0].bySource).toEqual({ online: 0, offline: 5400, practical: 3600 });
    const ledger = await mongo.db(t.db.dbName).collection('hour_ledger').find({ sessionId: { $in: [theory, practical] } }).toArray();
    expect(ledger.map((e) => [e.idempotencyKey, e.source, e.seconds]).sort()).toEqual([
      [`offline:${practical}:${leader.id}`, 'practical', 3600],
      [`offline:${theory}:${leader.id}`, 'offline', 5400],
    ].sort());
    expect(await audit({ action: 'offline-session.accept', 'target.id': { $in: [theory, practical] } })).toHaveLength(2);

    // Accepted sessions are closed: neither timetable nor attendance change.
    expect((await call(t.baseUrl, 'PATCH', `/api/v1/offline/sessions/${theory}`, { token: inst(), body: { topic: '改', reason: '改' } })).body.code).toBe('SESSION_ACCEPTED');
    expect((await manual(theory, { signOutAt: iso(now - 3 * H), reason: '改' })).body.code).toBe('SESSION_ACCEPTED');
  });

  it('an acceptance whose commit fails writes no hours and leaves the session pending; the retry credits them once', async () => {
    const now = Date.now();
    const s = must('past', await addSession(t.baseUrl, inst(), classId, { startsAt: iso(now - 8 * H), endsAt: iso(now - 7 * H), instructorId, room: '补录3', reason: '补录' })).body.id;
    must('attendance', await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${s}/attendance`, { token: inst(), body: { traineeId: leader.id, signInAt: iso(now - 8 * H), signOutAt: iso(now - 7 * H), reason: '补登' } }));
    const ledger = () => mongo.db(t.db.dbName).collection('hour_ledger').countDocuments({ sessionId: s });
    const append = jest.spyOn(t.app.get(AuditTrail) as unknown as { append: () => Promise<void> }, 'append').mockRejectedValueOnce(new Error('审计日志写入失败 (audit append failed)'));
    try {
      await expect(accept(s)).rejects.toThrow('审计日志写入失败');
    } finally {
      append.mockRestore();
    }
    expect(await ledger()).toBe(0);
    expect((await call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${s}/attendance`, { token: inst() })).body.session.status).toBe('scheduled');
    expect((await accept(s)).credited).toBe(1);
    expect(await ledger()).toBe(1);
  });

  it('refuses to accept a session that has not ended', async () => {
    // Inside the class (it ends two China dates from now) whatever the hour: at 23:00 in China, +50 h fell after it.
    const start = Date.now() + 40 * H;
    const s = must('future', await addSession(t.baseUrl, inst(), classId, { startsAt: iso(start), endsAt: iso(start + H), instructorId, room: '未来' })).body.id;
    await expect(accept(s)).rejects.toMatchObject({ status: 409, code: 'SESSION_NOT_ENDED' });
  });

  it('a session that has started changes only with a reason, which the audit trail keeps', async () => {
    const now = Date.now();
    const s = must('running', await addSession(t.baseUrl, inst(), classId, { startsAt: iso(now - 600_000), endsAt: iso(now + H), instructorId, room: '进行中', reason: '开课后录入' })).body.id;
    expect((await call(t.baseUrl, 'PATCH', `/api/v1/offline/sessions/${s}`, { token: inst(), body: { topic: '改为事故警示' } })).body.code).toBe('SESSION_CHANGE_REASON_REQUIRED');
    must('patch', await call(t.baseUrl, 'PATCH', `/api/v1/offline/sessions/${s}`, { token: inst(), body: { topic: '改为事故警示', reason: '授课内容调整' } }));
    const [rec] = await audit({ action: 'offline-session.update', 'target.id': s });
    expect(rec).toMatchObject({ reason: '授课内容调整', before: { topic: '事故案例' }, after: { topic: '改为事故警示' } });
  });

  it('the demo trainee sees the demo class; the sign-in sheet exports', async () => {
    const mine = must('me', await call(t.baseUrl, 'GET', '/api/v1/offline/me', { token: tok.trainee })).body;
    expect(mine.classes.map((c: { cls: { name: string } }) => c.cls.name)).toEqual(['伊春矿山班组长线下培训班（演示）']);
    expect(mine.classes[0].sessions.map((s: { source: string; hours: string }) => [s.source, s.hours])).toEqual([['offline', 'none'], ['practical', 'none']]);
    const sessions = must('sessions', await call(t.baseUrl, 'GET', `/api/v1/offline/classes/${classId}/sessions`, { token: inst() })).body.items as Array<{ id: string; status: string }>;
    const accepted = sessions.find((s) => s.status === 'accepted')!;
    const res = await fetch(`${t.baseUrl}/api/v1/offline/sessions/${accepted.id}/sign-in-sheet`, { headers: { authorization: `Bearer ${inst()}` } });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = book.worksheets[0];
    expect(ws.name).toBe('签到表');
    expect(String(ws.getRow(1).getCell(1).value)).toContain('签到表');
    expect(ws.getRow(5).getCell(2).value).toBe('班组长甲');
  });

  it('the instructor checklist says what is met and what is not', async () => {
    const res = must('checklist', await call(t.baseUrl, 'GET', '/api/v1/offline/instructors/checklist', { token: inst() })).body;
    const by = Object.fromEntries(res.items.map((i: { rule: string }) => [i.rule, i]));
    // The demo seed's five people plus the two of this suite.
    expect(by.managers).toMatchObject({ met: true, actual: 2 });
    expect(by['senior-teachers']).toMatchObject({ met: true });
    expect(by.teachers.source).toContain('001_0f59b514324dcfca.txt');
    const list = must('instructors', await call(t.baseUrl, 'GET', '/api/v1/offline/instructors', { token: inst() })).body.items;
    expect(list.every((i: { idNumber: string }) => /^\d{4}\*{10}[\dX]{4}$/.test(i.idNumber))).toBe(true);
  });
});
