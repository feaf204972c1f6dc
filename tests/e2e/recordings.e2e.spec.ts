// Session recordings over tus against a real API process (tus needs one) and database: a recording
// too short for its timetable is kept as evidence but does not accept the session, and says why in
// zh-CN; a second file makes it pass, which accepts the session and credits the hours exactly once;
// only the session's own institution may upload or resume, and the upload is resumable with its
// SHA-256 computed as the bytes arrive (002_… §四(四)).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { AUDIT_LOG } from '@app/audit';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { tusCreate, tusOffset, tusPatch, tusPatchInterrupted } from '../../libs/media/test-support/tus-client';
import { activate, call } from '../support/auth-client';
import { addSession, createClass, createInstructor, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';
import { makeClip, makeFaceClip, RECORDING_UPLOADS, uploadRecording } from '../support/recordings';
import { face, FACES_DIR } from '../support/study';

jest.setTimeout(180_000);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('session recordings (e2e)', () => {
  let t: MediaApp;
  let mongo: MongoClient;
  let work: string;
  const tok: Record<string, string> = {};
  let traineeId: string;
  let sessionId: string;
  let first: Buffer;
  let classId: string;
  let programIdOf: string;
  let teacher: string;
  let second: Buffer;

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(tmpdir(), 'recordings-e2e-'));
    // Small clips: the floors are settings, lowered here so the files stay a few kilobytes.
    [first, second] = await Promise.all([makeClip(work, 'part-1.mp4', 30, { size: '160x120', fps: 5 }), makeClip(work, 'part-2.mp4', 30, { size: '160x120', fps: 5, pattern: 'smptebars' })]);
    t = await startMediaApp('recordings', { EVIDENCE_MIN_HEIGHT: '120', EVIDENCE_MIN_FPS: '5', EVIDENCE_FACE_SAMPLE_SECONDS: '5' });
    mongo = await MongoClient.connect(t.db.uri);
    for (const u of ['yc-institution', 'zb-institution', 'yc-hrss', 'trainee']) tok[u] = (await activate(t.baseUrl, u, t.passwords.get(u)!)).accessToken;
    const inst = tok['yc-institution'];
    const programId = await ycProgramId(t.baseUrl);
    const enterprise = await ycEnterprise(t.baseUrl, inst);
    traineeId = (await registerTrainee(t.baseUrl, inst, programId, enterprise.id, 'team_leader', '录像学员')).id;
    const instructorId = await createInstructor(t.baseUrl, inst);
    classId = await createClass(t.baseUrl, inst, programId);
    programIdOf = programId;
    teacher = instructorId;
    must('roster', await call(t.baseUrl, 'POST', `/api/v1/offline/classes/${classId}/roster`, { token: inst, body: { traineeId } }));
    // A one-minute session two hours ago, attended throughout.
    const start = Date.now() - 2 * 3600_000;
    sessionId = must('session', await addSession(t.baseUrl, inst, classId, { startsAt: iso(start), endsAt: iso(start + 60_000), instructorId, room: '录像教室', reason: '补录' })).body.id;
    must('attendance', await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${sessionId}/attendance`, { token: inst, body: { traineeId, signInAt: iso(start), signOutAt: iso(start + 60_000), reason: '补登' } }));
  }, 180_000);
  afterAll(async () => {
    await mongo?.close();
    await t?.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  const db = () => mongo.db(t.db.dbName);
  const view = (token = tok['yc-institution']) => call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${sessionId}/recording`, { token });
  const hours = async () => must('hours', await call(t.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/hours`, { token: tok['yc-institution'] })).body.bySource;
  const ledger = () => db().collection('hour_ledger').countDocuments({ sessionId });

  it('only the session’s institution may upload, and only to a session it names', async () => {
    const len = first.length;
    expect((await tusCreate(t.baseUrl, undefined, len, { sessionId, filename: 'a.mp4' }, RECORDING_UPLOADS)).status).toBe(401);
    const auditor = await tusCreate(t.baseUrl, tok['yc-hrss'], len, { sessionId, filename: 'a.mp4' }, RECORDING_UPLOADS);
    expect([auditor.status, JSON.parse(auditor.body).code]).toEqual([403, 'FORBIDDEN']);
    const foreign = await tusCreate(t.baseUrl, tok['zb-institution'], len, { sessionId, filename: 'a.mp4' }, RECORDING_UPLOADS);
    expect([foreign.status, JSON.parse(foreign.body).code]).toEqual([404, 'SESSION_NOT_FOUND']);
    const unnamed = await tusCreate(t.baseUrl, tok['yc-institution'], len, { filename: 'a.mp4' }, RECORDING_UPLOADS);
    expect([unnamed.status, JSON.parse(unnamed.body)]).toEqual([400, expect.objectContaining({ code: 'RECORDING_SESSION_REQUIRED', message: '上传录像须指明课次' })]);
    // An upload in progress is its creator's: the other institution can neither see its offset nor add bytes.
    const mine = await tusCreate(t.baseUrl, tok['yc-institution'], len, { sessionId, filename: 'a.mp4', institutionId: '65a000000000000000000001' }, RECORDING_UPLOADS);
    expect(mine.status).toBe(201);
    const location = mine.headers.get('location')!;
    const head = await fetch(new URL(location, t.baseUrl), { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${tok['zb-institution']}` } });
    expect(head.status).toBe(404);
    const patch = await tusPatch(t.baseUrl, tok['zb-institution'], location, 0, first);
    expect([patch.status, JSON.parse(patch.body).code]).toEqual([404, 'RECORDING_FILE_NOT_FOUND']);
    expect(await tusOffset(t.baseUrl, tok['yc-institution'], location)).toBe(0);
    expect((await view(tok['zb-institution'])).status).toBe(404);
    expect(must('no recording yet', await view()).body).toMatchObject({ files: [], reusedFrom: [], session: { id: sessionId, status: 'scheduled' } });
    expect(await db().collection('evidence_records').countDocuments({ sessionId })).toBe(0);
  });

  it('/health reports the last evidence sweep (run at start-up) and no altered or missing objects', async () => {
    const deadline = Date.now() + 30_000;
    let evidence: { status: string; lastSweep: unknown; mismatch: number; missing: number } | undefined;
    while (!evidence?.lastSweep && Date.now() < deadline) {
      evidence = (await (await fetch(`${t.baseUrl}/health`)).json()).details?.evidence;
      if (!evidence?.lastSweep) await new Promise((r) => setTimeout(r, 300));
    }
    expect(evidence).toMatchObject({ status: 'up', mismatch: 0, missing: 0, lastSweep: { outcome: 'succeeded', result: { mismatch: 0, missing: 0, disposed: 0 } } });
  });

  it('a recording too short for its timetable is kept as evidence, not accepted, and says why', async () => {
    const up = await uploadRecording(t.baseUrl, tok['yc-institution'], sessionId, first, 'part-1.mp4');
    expect([up.status, up.passed, up.accepted]).toEqual([204, 'false', 'false']);
    const r = must('view', await view()).body;
    expect(r.files).toEqual([expect.objectContaining({ name: 'part-1.mp4', sha256: sha256(first), size: first.length, isVideo: true, width: 160, height: 120 })]);
    expect(r.verdict).toMatchObject({ passed: false, scheduledSeconds: 60, timeline: 'order' });
    expect(r.verdict.coverage).toBeCloseTo(0.5, 1);
    expect(r.verdict.reasons).toEqual([{ code: 'TOO_SHORT', text: expect.stringMatching(/^录像共覆盖.*课程表安排.*要求不低于 95%/) }]);
    expect(r.session.status).toBe('scheduled');
    expect(r.acceptedAt).toBeUndefined();
    // Kept: its evidence record and its stored object, whatever the verdict.
    const records = await db().collection('evidence_records').find({ sessionId }).toArray();
    expect(records.map((e) => [e.kind, e.sha256])).toEqual([['recording', sha256(first)]]);
    expect(await hours()).toMatchObject({ offline: 0 });
    expect(await ledger()).toBe(0);
    // The auditor of the region sees the same verdict.
    expect(must('auditor view', await view(tok['yc-hrss'])).body.verdict.passed).toBe(false);
  });

  it('a second file, resumed after a dropped line, makes it pass: the session is accepted and its hours credited once', async () => {
    const created = await tusCreate(t.baseUrl, tok['yc-institution'], second.length, { sessionId, filename: 'part-2.mp4' }, RECORDING_UPLOADS);
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    await tusPatchInterrupted(t.baseUrl, tok['yc-institution'], location, 0, second, Math.floor(second.length / 2));
    const offset = await tusOffset(t.baseUrl, tok['yc-institution'], location);
    expect(offset).toBeLessThan(second.length);
    const rest = await tusPatch(t.baseUrl, tok['yc-institution'], location, offset, second.subarray(offset));
    expect([rest.status, rest.headers.get('recording-passed'), rest.headers.get('session-accepted')]).toEqual([204, 'true', 'true']);

    const r = must('view', await view()).body;
    expect(r.files.map((f: { name: string; sha256: string }) => [f.name, f.sha256])).toEqual([['part-1.mp4', sha256(first)], ['part-2.mp4', sha256(second)]]);
    expect(r.verdict).toMatchObject({ passed: true, reasons: [] });
    expect(r.verdict.coverage).toBeGreaterThanOrEqual(0.95);
    expect(r.session.status).toBe('accepted');
    expect(r.acceptedAt).toBeDefined();
    expect(await hours()).toMatchObject({ offline: 60 });
    expect(await ledger()).toBe(1);
    const stored = await db().collection('evidence_records').find({ sessionId }).toArray();
    expect(stored.map((e) => e.sha256).sort()).toEqual([sha256(first), sha256(second)].sort());

    // Accepted: nothing more to upload, and the hours stay credited once.
    const again = await tusCreate(t.baseUrl, tok['yc-institution'], first.length, { sessionId, filename: 'part-3.mp4' }, RECORDING_UPLOADS);
    expect([again.status, JSON.parse(again.body).code]).toEqual([409, 'RECORDING_SESSION_ACCEPTED']);
    expect(await ledger()).toBe(1);
    const actions = (await db().collection(AUDIT_LOG).find({ 'target.id': sessionId }).toArray()).map((a) => a.action as string);
    expect(actions.filter((a) => a === 'session-recording.add-file')).toHaveLength(2);
    expect(actions.filter((a) => a === 'offline-session.accept')).toHaveLength(1);
  });

  it('faces in the recording against the signed-in trainees: who was seen, who was not; the same file for another session is reused', async () => {
    const inst = tok['yc-institution'];
    // The demo trainee (伊春, 班组长) consents and is enrolled from one photo; the clip shows another photo of them.
    const self = (await call(t.baseUrl, 'GET', '/api/v1/trainees', { token: tok.trainee })).body.items.find((x: { programId: string }) => x.programId === programIdOf).id as string;
    const text = await call(t.baseUrl, 'GET', '/api/v1/consents/face-text', { token: tok.trainee });
    must('consent', await call(t.baseUrl, 'POST', `/api/v1/trainees/${self}/face-consent`, { token: tok.trainee, body: { textVersion: text.body.version } }));
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(await face('obama-1.jpg'))], { type: 'image/jpeg' }), 'photo.jpg');
    const enrolled = await fetch(`${t.baseUrl}/api/v1/trainees/${self}/face-references`, { method: 'POST', headers: { authorization: `Bearer ${inst}` }, body: form, signal: AbortSignal.timeout(120_000) });
    expect(enrolled.status).toBe(201);
    must('roster', await call(t.baseUrl, 'POST', `/api/v1/offline/classes/${classId}/roster`, { token: inst, body: { traineeId: self } }));
    const session = async (hoursAgo: number) => {
      const start = Date.now() - hoursAgo * 3600_000;
      const id = must('session', await addSession(t.baseUrl, inst, classId, { startsAt: iso(start), endsAt: iso(start + 60_000), instructorId: teacher, room: `人脸${hoursAgo}`, reason: '补录' })).body.id as string;
      for (const who of [self, traineeId]) must('attendance', await call(t.baseUrl, 'POST', `/api/v1/offline/sessions/${id}/attendance`, { token: inst, body: { traineeId: who, signInAt: iso(start), signOutAt: iso(start + 60_000), reason: '补登' } }));
      return id;
    };
    const [one, other] = [await session(4), await session(5)];
    const clip = await makeFaceClip(work, 'face.mp4', path.join(FACES_DIR, 'obama-2.jpg'), 20);
    expect((await uploadRecording(t.baseUrl, inst, one, clip, 'face.mp4')).status).toBe(204);

    const deadline = Date.now() + 120_000;
    let r = must('view', await call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${one}/recording`, { token: inst })).body;
    while (!r.faces && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      r = must('view', await call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${one}/recording`, { token: tok['yc-hrss'] })).body;
    }
    expect(r.faces).toMatchObject({ sampledFrames: 4, distinctFaces: 1 });
    expect(r.faces.facesDetected).toBeGreaterThanOrEqual(4);
    const seen = Object.fromEntries(r.faces.trainees.map((x: { traineeId: string; seen: boolean }) => [x.traineeId, x.seen]));
    expect(seen).toEqual({ [self]: true, [traineeId]: false });
    expect(r.faces.flags).toEqual(expect.arrayContaining([
      { code: 'FEW_SEEN', text: expect.stringContaining('识别出 1 名签到学员，签到 2 人') },
      { code: 'SIGNED_IN_NOT_SEEN', text: '已签到但录像中未出现：录像学员' },
    ]));
    expect(await db().collection(AUDIT_LOG).countDocuments({ action: 'session-recording.faces', 'target.id': one })).toBe(1);

    // The same file for another session: found by its hash at once.
    expect((await uploadRecording(t.baseUrl, inst, other, clip, 'face.mp4')).status).toBe(204);
    expect(must('other', await call(t.baseUrl, 'GET', `/api/v1/offline/sessions/${other}/recording`, { token: inst })).body.reusedFrom).toEqual([{ sessionId: one, by: 'sha256' }]);
  });
});
