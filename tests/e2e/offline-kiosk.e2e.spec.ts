// Face attendance at the classroom kiosk, through the real API, engine and blob store: a kiosk
// credential for one session, 1:N against that session's roster, sign-in and sign-out, refusals
// logged with their frames kept as evidence, and a credential that opens nothing else.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MongoClient } from 'mongodb';
import { AUDIT_LOG } from '@app/audit';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';
import { consentAndEnrol } from '../support/faces';
import { addSession, createClass, createInstructor, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';
import { face, liveFrame, sleep, studyEnv } from '../support/study';

jest.setTimeout(300_000);

describe('kiosk face attendance (e2e)', () => {
  let t: TestApp;
  let mongo: MongoClient;
  let inst: string;
  let zb: string;
  let sessionId: string;
  let kiosk: string;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp('offline-kiosk', studyEnv({ OFFLINE_REPEAT_GUARD_SECONDS: '2' }));
    mongo = await MongoClient.connect(t.db.uri);
    const pw = demoPasswords(t.app);
    inst = (await activate(t.baseUrl, 'yc-institution', pw.get('yc-institution')!)).accessToken;
    zb = (await activate(t.baseUrl, 'zb-institution', pw.get('zb-institution')!)).accessToken;
    const programId = await ycProgramId(t.baseUrl);
    const enterprise = await ycEnterprise(t.baseUrl, inst);
    for (const [who, photo] of [['obama', 'obama-1.jpg'], ['biden', 'biden-1.jpg'], ['kit', 'kit-1.jpg']] as const) {
      people[who] = (await registerTrainee(t.baseUrl, inst, programId, enterprise.id, 'team_leader', { obama: '欧巴马', biden: '拜登', kit: '吉特' }[who])).id;
      await consentAndEnrol(t.baseUrl, inst, people[who], photo);
    }
    const classId = await createClass(t.baseUrl, inst, programId);
    // kit is registered and enrolled, but not on this class's roster.
    for (const who of ['obama', 'biden']) must('roster', await call(t.baseUrl, 'POST', `/api/v1/offline/classes/${classId}/roster`, { token: inst, body: { traineeId: people[who] } }));
    const instructorId = await createInstructor(t.baseUrl, inst);
    const now = Date.now();
    sessionId = must('session', await addSession(t.baseUrl, inst, classId, { startsAt: iso(now - 300_000), endsAt: iso(now + 3600_000), instructorId, reason: '开课后录入' })).body.id;
    kiosk = must('kiosk', await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${sessionId}/kiosk`, { token: inst })).body.token;
  });
  afterAll(async () => {
    await mongo?.close();
    await t?.stop();
  });

  const frame = async (image: Buffer, token = kiosk) => {
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'frame.jpg');
    const res = await fetch(`${t.baseUrl}/api/v1/offline/kiosk/captures`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(60_000) });
    return { status: res.status, body: await res.json() };
  };
  const blank = () => sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 128, g: 128, b: 128 } } }).jpeg().toBuffer();

  it('signs the roster in 1:N, refuses anyone else, and signs out on a later recognition', async () => {
    const a = await frame(await liveFrame('obama-2.jpg'));
    expect(a).toMatchObject({ status: 200, body: { outcome: 'sign-in', accepted: true, traineeName: '欧巴马' } });
    expect(a.body.message).toBe('欧巴马，签到成功');
    const signedInAt = Date.now();
    // Still standing at the camera: not a sign-out.
    expect((await frame(await liveFrame('obama-3.jpg'))).body.outcome).toBe('just-signed-in');
    expect((await frame(await liveFrame('biden-2.jpg'))).body).toMatchObject({ outcome: 'sign-in', traineeName: '拜登' });
    const stranger = await frame(await liveFrame('kit-2.jpg'));
    expect(stranger.body).toMatchObject({ outcome: 'no-match', accepted: false });
    expect(stranger.body.message).toMatch(/花名册/);
    expect((await frame(await face('two-people.jpg'))).body).toMatchObject({ outcome: 'several-faces', accepted: false });
    expect((await frame(await blank())).body).toMatchObject({ outcome: 'no-face', accepted: false });
    await sleep(Math.max(0, signedInAt + 2_100 - Date.now()));
    expect((await frame(await liveFrame('obama-3.jpg'))).body).toMatchObject({ outcome: 'sign-out', traineeName: '欧巴马' });
  });

  it('shows attendance and every capture on the sheet, keeps each frame as evidence with its hash, and logs the refusals', async () => {
    const sheet = must('sheet', await call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${sessionId}/attendance`, { token: inst })).body;
    const obama = sheet.rows.find((r: { traineeId: string }) => r.traineeId === people.obama);
    expect(obama.attendance.captures.map((c: { step: string }) => c.step)).toEqual(['sign-in', 'sign-out']);
    expect(obama.attendance.flagged).toBe(false);
    expect(obama.hours).toBe('pending');
    expect(sheet.attempts.map((a: { outcome: string }) => a.outcome).sort()).toEqual(['just-signed-in', 'no-face', 'no-match', 'several-faces', 'sign-in', 'sign-in', 'sign-out'].sort());
    const sha = obama.attendance.captures[0].sha256;
    const img = await fetch(`${t.baseUrl}/api/v1/offline/sessions/${sessionId}/captures/${sha}`, { headers: { authorization: `Bearer ${inst}` } });
    expect(img.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await img.arrayBuffer())).digest('hex')).toBe(sha);
    const refusals = await mongo.db(t.db.dbName).collection(AUDIT_LOG).find({ action: 'offline-attendance.refuse', 'target.id': sessionId }).toArray();
    expect(refusals.map((r) => r.after.outcome).sort()).toEqual(['just-signed-in', 'no-face', 'no-match', 'several-faces']);
    expect(refusals[0].actor).toMatchObject({ kind: 'user', role: 'kiosk' });
    expect((await call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${sessionId}/attendance`, { token: zb })).status).toBe(404);
  });

  it('a kiosk credential does nothing but attendance for its session', async () => {
    const view = must('view', await call(t.baseUrl, 'GET', '/api/v1/offline/kiosk', { token: kiosk })).body;
    expect(view).toMatchObject({ session: { id: sessionId }, rosterSize: 2, signedIn: 2 });
    for (const [method, url] of [['GET', '/api/v1/offline/classes'], ['GET', `/api/v1/offline/sessions/${sessionId}/attendance`], ['POST', `/api/v1/offline/sessions/${sessionId}/attendance`], ['GET', '/api/v1/auth/me'], ['GET', '/api/v1/trainees']]) {
      expect([method, url, (await call(t.baseUrl, method, url, { token: kiosk })).status]).toEqual([method, url, 401]);
    }
    expect((await call(t.baseUrl, 'GET', '/api/v1/offline/kiosk', { token: inst })).status).toBe(401);
    expect((await call(t.baseUrl, 'GET', '/api/v1/offline/kiosk')).status).toBe(401);
    expect((await frame(await blank(), `${kiosk.slice(0, -2)}xx`)).status).toBe(401);
  });

  it('closing the kiosk makes its credential stop working at once', async () => {
    expect((await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${sessionId}/kiosk/close`, { token: zb })).status).toBe(404);
    expect(must('close', await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${sessionId}/kiosk/close`, { token: inst })).body).toEqual({ closed: 1 });
    expect((await call(t.baseUrl, 'GET', '/api/v1/offline/kiosk', { token: kiosk })).body.code).toBe('KIOSK_TOKEN_INVALID');
    expect((await frame(await blank())).status).toBe(401);
    expect(must('close again', await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${sessionId}/kiosk/close`, { token: inst })).body).toEqual({ closed: 0 });
  });
});
