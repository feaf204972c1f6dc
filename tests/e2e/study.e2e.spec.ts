import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { parseMediaPlaylist } from '../../libs/media/test-support/hls-client';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { activate, call, login } from '../support/auth-client';
import { isError, liveFrame, makeTestVideo, ok, prepareStudy, StudyClient, studyEnv, StudyFixture } from '../support/study';
import { creditedBy, refusalCodes, ScriptedPlayer } from '../support/study-player';

/**
 * Scripted socket.io players against a real API process: each way of earning time without watching
 * credits nothing for the affected interval, while honest playback is credited by the wall clock.
 * Heartbeats every second (the setting), one fresh 30 s lesson per case so earlier credit does not
 * mix in; random face checks and prompts are pushed out of the way (an hour).
 */
const ENV = studyEnv();

describe('online study over socket.io (scripted players)', () => {
  let t: MediaApp;
  let fx: StudyFixture;
  let videoDir: string;
  const clients: StudyClient[] = [];
  let nextLesson = 0;

  beforeAll(async () => {
    videoDir = await mkdtemp(join(tmpdir(), 'study-video-'));
    const video = await makeTestVideo(videoDir, 30);
    t = await startMediaApp('study', ENV);
    fx = await prepareStudy(t.baseUrl, t.passwords, { video, lessons: 8 });
  }, 300_000);
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await t?.stop();
    await rm(videoDir, { recursive: true, force: true });
  });

  async function connect(): Promise<StudyClient> {
    const c = await StudyClient.connect(t.baseUrl, fx.tokens.trainee);
    clients.push(c);
    return c;
  }

  /** A new session on a fresh lesson with the session-start check passed; the player paused at 0 until then. */
  async function verifiedPlayer(): Promise<ScriptedPlayer> {
    const c = await connect();
    const view = ok(await c.open(fx.lessonIds[nextLesson++]));
    const player = new ScriptedPlayer(c, view);
    const pass = ok(await c.capture(view.sessionId, view.checks.face!.id, await liveFrame('obama-2.jpg')));
    expect(pass.outcome).toBe('match');
    return player;
  }

  it('credits honest playback only after the session-start face check, by the wall clock, and keeps the capture', async () => {
    const c = await connect();
    const view = ok(await c.open(fx.lessonIds[nextLesson++]));
    expect(view).toMatchObject({ status: 'active', resumed: false, nextSeq: 0, heartbeatSeconds: 1, maxPlaybackRate: 1 });
    expect(view.lessonDuration).toBeCloseTo(30, 0);
    expect(view.checks.face).toMatchObject({ reason: 'session-start', status: 'outstanding' });
    const player = new ScriptedPlayer(c, view);

    // Playing before the check passes earns nothing, and says why.
    const before = await player.play(2);
    expect(creditedBy(before)).toBe(0);
    expect(refusalCodes(before)).toContain('FACE_CHECK_REQUIRED');

    const pass = ok(await c.capture(view.sessionId, view.checks.face!.id, await liveFrame('obama-2.jpg')));
    expect(pass).toMatchObject({ outcome: 'match', check: { status: 'passed' } });
    expect(pass.distance).toBeLessThan(0.54);

    const started = Date.now();
    const during = await player.play(6);
    const wall = (Date.now() - started) / 1000;
    const credited = creditedBy(during);
    // Never more than the wall clock allows (+ one jitter), and not much less than it.
    expect(credited).toBeLessThanOrEqual(Math.ceil(wall) + 2);
    expect(credited).toBeGreaterThanOrEqual(Math.floor(wall) - 2);
    expect(during[during.length - 1].totals.sessionCreditedSeconds).toBe(credited);

    // During the session the content key is handed out; after it, not.
    const playback = ok((await call(t.baseUrl, 'GET', `/api/v1/lessons/${view.lessonId}/playback`, { token: fx.tokens.trainee })).body);
    const pl = parseMediaPlaylist(await (await fetch(t.baseUrl + playback.playlistUrl)).text());
    const key = async () => (await fetch(t.baseUrl + pl.keyUri, { headers: { authorization: `Bearer ${fx.tokens.trainee}` } })).status;
    expect(await key()).toBe(200);

    const closed = ok(await c.close(view.sessionId));
    expect(closed).toMatchObject({ status: 'closed', settledSeconds: credited, voidedSeconds: 0 });
    expect(await key()).toBe(403);

    // The capture is evidence: outcome, distance and the stored image's hash.
    const record = await call(t.baseUrl, 'GET', `/api/v1/study/sessions/${view.sessionId}`, { token: fx.tokens.trainee });
    expect(record.status).toBe(200);
    expect(record.body.checks[0]).toMatchObject({ kind: 'face', reason: 'session-start', status: 'passed' });
    expect(record.body.checks[0].attempts[0]).toMatchObject({ outcome: 'match' });
    expect(record.body.refusals.map((r: { code: string }) => r.code)).toContain('FACE_CHECK_REQUIRED');
    // Staff of the trainee's institution and region read the same record; other tenants do not see it.
    expect((await call(t.baseUrl, 'GET', `/api/v1/study/sessions/${view.sessionId}`, { token: fx.tokens.auditor })).status).toBe(200);
    expect((await call(t.baseUrl, 'GET', `/api/v1/study/sessions/${view.sessionId}`, { token: fx.tokens.institution })).status).toBe(200);
    const zb = await activate(t.baseUrl, 'zb-institution', t.passwords.get('zb-institution')!);
    expect((await call(t.baseUrl, 'GET', `/api/v1/study/sessions/${view.sessionId}`, { token: zb.accessToken })).status).toBe(404);
    // The trainee's hours, as the institution sees them, are the ledger's.
    const hours = await call(t.baseUrl, 'GET', `/api/v1/trainees/${fx.traineeId}/hours`, { token: fx.tokens.institution });
    expect(hours.body).toMatchObject({ programId: fx.programId, bySource: { online: expect.any(Number) } });
    expect(hours.body.bySource.online).toBeGreaterThanOrEqual(credited);
    // And its sessions: this one, closed, with what it settled; none for another institution.
    const listed = await call(t.baseUrl, 'GET', `/api/v1/trainees/${fx.traineeId}/study-sessions`, { token: fx.tokens.institution });
    expect(listed.body.items.find((i: { id: string }) => i.id === view.sessionId)).toMatchObject({ status: 'closed', settledSeconds: credited });
    expect((await call(t.baseUrl, 'GET', `/api/v1/trainees/${fx.traineeId}/study-sessions`, { token: zb.accessToken })).status).toBe(404);
  }, 120_000);

  it('seeking ahead credits nothing for the skipped part: only seconds really played are earned', async () => {
    const p = await verifiedPlayer();
    expect(creditedBy(await p.play(3))).toBeGreaterThan(0);
    const skippedFrom = Math.ceil(p.position) + 1;
    p.position += 15;
    const skippedTo = Math.floor(p.position);
    const jump = await p.beat();
    expect(jump.credited).toBe(0);
    expect(jump.refusals.map((r) => r.code)).toContain('SEEK_AHEAD');
    // Playing on from the new point earns what is played there (wall clock), never the skipped stretch.
    const after = await p.play(3);
    expect(creditedBy(after)).toBeLessThanOrEqual(3 + 2);
    const closed = ok(await p.client.close(p.sessionId));
    const progress = (await call(t.baseUrl, 'GET', '/api/v1/study/me/progress', { token: fx.tokens.trainee })).body;
    const lesson = progress.programs.flatMap((x: { courses: { lessons: { lessonId: string; creditedSeconds: number }[] }[] }) => x.courses.flatMap((c) => c.lessons)).find((l: { lessonId: string }) => l.lessonId === p.view.lessonId);
    expect(lesson.creditedSeconds).toBe(closed.settledSeconds);
    const record = (await call(t.baseUrl, 'GET', `/api/v1/study/sessions/${p.sessionId}`, { token: fx.tokens.trainee })).body;
    expect(record.refusals.some((r: { code: string }) => r.code === 'SEEK_AHEAD')).toBe(true);
    expect(creditedBy(p.acks)).toBe(closed.settledSeconds);
    // Every credited second lies outside the skipped stretch: the ledger's intervals say which.
    const client = await MongoClient.connect(t.db.uri);
    try {
      const entries = await client.db(t.db.dbName).collection('hour_ledger').find({ sessionId: p.sessionId }).toArray();
      const intervals = entries.flatMap((e) => e.intervals as [number, number][]);
      expect(intervals.reduce((n, [a, b]) => n + b - a, 0)).toBe(closed.settledSeconds);
      for (const [a, b] of intervals) expect(b <= skippedFrom || a >= skippedTo).toBe(true);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('2× speed credits nothing', async () => {
    const p = await verifiedPlayer();
    const fast = await p.play(4, { rate: 2 });
    expect(creditedBy(fast)).toBe(0);
    expect(refusalCodes(fast)).toContain('RATE_TOO_HIGH');
  }, 60_000);

  it('a hidden tab credits nothing, and crediting resumes when it is visible again', async () => {
    const p = await verifiedPlayer();
    const hidden = await p.play(4, { visible: false });
    expect(creditedBy(hidden)).toBe(0);
    expect(refusalCodes(hidden)).toContain('TAB_HIDDEN');
    expect(creditedBy(await p.play(3))).toBeGreaterThan(0);
  }, 60_000);

  it('replayed and out-of-sequence heartbeats are ignored', async () => {
    const p = await verifiedPlayer();
    await p.play(2);
    const last = p.acks[p.acks.length - 1];
    p.position += 1;
    const replay = await p.beat({ seq: last.seq });
    expect(replay).toMatchObject({ accepted: false, credited: 0 });
    expect(replay.refusals[0].code).toBe('REPLAYED');
    const older = await p.beat({ seq: last.seq - 1 });
    expect(older).toMatchObject({ accepted: false, credited: 0 });
    expect(older.refusals[0].code).toBe('OUT_OF_SEQUENCE');
  }, 60_000);

  it('a second device ends the first: it is told why and credits nothing more', async () => {
    const first = await verifiedPlayer();
    await first.play(2);
    const second = await connect();
    const view = ok(await second.open(first.view.lessonId));
    expect(view.sessionId).not.toBe(first.sessionId);
    // The old client is told at once (same process) …
    await new Promise((r) => setTimeout(r, 200));
    expect(first.client.ended).toEqual([expect.objectContaining({ sessionId: first.sessionId, code: 'SESSION_SUPERSEDED' })]);
    // … and on its next message, which earns nothing.
    first.position += 1;
    const ack = await first.client.heartbeat({ sessionId: first.sessionId, seq: first.seq++, position: first.position, playing: true, visible: true, playbackRate: 1, sentAt: Date.now() });
    expect(isError(ack) && ack.error).toMatchObject({ code: 'SESSION_SUPERSEDED', status: 409 });
  }, 60_000);

  it('a logout stops the socket at its next message, though account checks are otherwise reused for a while', async () => {
    // A second login of the same trainee, so the shared token of the other cases stays valid.
    const second = await login(t.baseUrl, 'trainee', `${t.passwords.get('trainee')!}-Neu9`);
    expect(second.status).toBe(200);
    const c = await StudyClient.connect(t.baseUrl, second.body.accessToken as string);
    clients.push(c);
    const view = ok(await c.open(fx.lessonIds[nextLesson++]));
    const hb = (seq: number) => ({ sessionId: view.sessionId, seq, position: 0, playing: false, visible: true, playbackRate: 1, sentAt: Date.now() });
    expect(ok(await c.heartbeat(hb(0))).accepted).toBe(true);
    expect((await call(t.baseUrl, 'POST', '/api/v1/auth/logout', { token: second.body.accessToken as string })).status).toBe(204);
    const after = await c.heartbeat(hb(1));
    expect(isError(after) && after.error).toMatchObject({ code: 'AUTH_SESSION_REVOKED', status: 401 });
  }, 60_000);

  it('refuses bad input with clear errors and keeps the session intact', async () => {
    const c = await connect();
    const view = ok(await c.open(fx.lessonIds[nextLesson++]));
    const bad = await c.heartbeat({ sessionId: view.sessionId, seq: -1, position: Number.NaN, playing: true, visible: true, playbackRate: 1, sentAt: 0 });
    expect(isError(bad) && bad.error.code).toBe('VALIDATION_FAILED');
    const noSession = await c.heartbeat({ sessionId: '65a000000000000000000001', seq: 0, position: 0, playing: true, visible: true, playbackRate: 1, sentAt: 0 });
    expect(isError(noSession) && noSession.error).toMatchObject({ code: 'SESSION_NOT_FOUND', status: 404 });
    const notImage = ok(await c.capture(view.sessionId, view.checks.face!.id, Buffer.from('not an image')));
    expect(notImage).toMatchObject({ outcome: 'bad-frame', check: { status: 'outstanding', retriesLeft: 0 } });
    const wrongCheck = await c.capture(view.sessionId, '99', await liveFrame('obama-2.jpg'));
    expect(isError(wrongCheck) && wrongCheck.error.code).toBe('CHECK_NOT_OUTSTANDING');
    const notLesson = await c.open('65a000000000000000000001');
    expect(isError(notLesson) && notLesson.error.code).toBe('LESSON_NOT_FOUND');
    // Still usable: the retry passes.
    expect(ok(await c.capture(view.sessionId, view.checks.face!.id, await liveFrame('obama-2.jpg'))).outcome).toBe('match');
  }, 60_000);
});
