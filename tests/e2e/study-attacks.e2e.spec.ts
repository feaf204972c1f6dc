import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeartbeatAck } from '@app/study';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { CLIP, liveFrame, makeTestVideo, ok, prepareStudy, sleep, StudyClient, studyEnv, StudyFixture } from '../support/study';

/**
 * The two holes an outside adversary run found (issue 25), tried again through a real API process
 * with the console's own protocol: a capture replayed at a later check, and positions running
 * faster than the clock with heartbeats far more often than the server asks for.
 */
describe('study attacks through socket.io', () => {
  let t: MediaApp;
  let fx: StudyFixture;
  let videoDir: string;
  const clients: StudyClient[] = [];
  let nextLesson = 0;

  beforeAll(async () => {
    videoDir = await mkdtemp(join(tmpdir(), 'study-attacks-'));
    t = await startMediaApp('study-attacks', studyEnv());
    // Lessons 0–1 are the 10 s fixture clip (its lesson-end check comes quickly); the rest last 2 minutes.
    const long = await makeTestVideo(videoDir, 120);
    fx = await prepareStudy(t.baseUrl, t.passwords, { videos: [CLIP, CLIP, ...Array.from({ length: 6 }, () => long)] });
  }, 400_000);
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

  it('the capture that passed the start check, sent again at a later check, is refused as a replay and nothing is credited after it', async () => {
    const c = await connect();
    const view = ok(await c.open(fx.lessonIds[nextLesson++]));
    let seq = view.nextSeq;
    // As the console does: the paused player reports position 0, then the start check.
    ok(await c.heartbeat({ sessionId: view.sessionId, seq: seq++, position: 0, playing: false, visible: true, playbackRate: 1, sentAt: Date.now() }));
    const frame = await liveFrame('obama-2.jpg');
    expect(ok(await c.capture(view.sessionId, view.checks.face!.id, frame)).outcome).toBe('match');
    // Play the 10 s clip to its end: the lesson-end check follows.
    let position = 0;
    let ack: HeartbeatAck | undefined;
    for (let i = 0; i < 30 && !(ack?.checks.face?.reason === 'lesson-end'); i++) {
      await sleep(1000);
      position = Math.min(view.lessonDuration, position + 1);
      ack = ok(await c.heartbeat({ sessionId: view.sessionId, seq: seq++, position, playing: true, visible: true, playbackRate: 1, sentAt: Date.now() }));
    }
    expect(ack!.checks.face).toMatchObject({ reason: 'lesson-end', status: 'outstanding' });
    const replay = ok(await c.capture(view.sessionId, ack!.checks.face!.id, frame));
    expect(replay).toMatchObject({ outcome: 'replayed', check: { status: 'failed' } });
    expect(replay.message).toMatch(/疑似重放/);
    expect(replay.totals.sessionCreditedSeconds).toBe(0);
    const closed = ok(await c.close(view.sessionId));
    expect(closed.settledSeconds).toBe(0);

    // The same frame opens the next session: refused there too, and playing on earns nothing.
    const next = ok(await c.open(fx.lessonIds[nextLesson++]));
    const again = ok(await c.capture(next.sessionId, next.checks.face!.id, frame));
    expect(again.outcome).toBe('replayed');
    let s2 = next.nextSeq;
    let credited = 0;
    for (let p = 1; p <= 5; p++) {
      await sleep(1000);
      credited += ok(await c.heartbeat({ sessionId: next.sessionId, seq: s2++, position: p, playing: true, visible: true, playbackRate: 1, sentAt: Date.now() })).credited;
    }
    expect(credited).toBe(0);
    // For auditors: the record shows the replay.
    const record = await fetch(`${t.baseUrl}/api/v1/study/sessions/${next.sessionId}`, { headers: { authorization: `Bearer ${fx.tokens.auditor}` } }).then((r) => r.json());
    expect(record.checks[0].attempts[0].outcome).toBe('replayed');
    ok(await c.close(next.sessionId));
  }, 120_000);

  // Heartbeat interval × how much faster than the clock the position runs (the client always claims 1×), for how long.
  const cases: [intervalS: number, speed: number, seconds: number][] = [
    [0.2, 4, 5],
    [0.5, 3, 6],
    [1, 2, 10],
    [5, 1.5, 15],
    [15, 1, 30],
    [30, 2, 31],
  ];

  it.each(cases)('heartbeats every %ss with the position at %s× the clock: credit never exceeds the wall time of any window', async (intervalS, speed, seconds) => {
    const c = await connect();
    const view = ok(await c.open(fx.lessonIds[nextLesson++]));
    let seq = view.nextSeq;
    ok(await c.heartbeat({ sessionId: view.sessionId, seq: seq++, position: 0, playing: false, visible: true, playbackRate: 1, sentAt: Date.now() }));
    const frame = await liveFrame('obama-2.jpg');
    // The server passes the check (and starts paying) when the capture arrives, before the engine's verdict comes back.
    const captureSent = Date.now();
    const pass = ok(await c.capture(view.sessionId, view.checks.face!.id, frame));
    expect(pass.outcome).toBe('match');
    // Per heartbeat: when it was sent, when its ack came back, what it credited.
    const beats: { sent: number; acked: number; credited: number }[] = [];
    let position = 0;
    let last = Date.now();
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      await sleep(intervalS * 1000);
      const now = Date.now();
      position = Math.min(view.lessonDuration, position + ((now - last) / 1000) * speed);
      last = now;
      const a = ok(await c.heartbeat({ sessionId: view.sessionId, seq: seq++, position, playing: true, visible: true, playbackRate: 1, sentAt: now }));
      beats.push({ sent: now, acked: Date.now(), credited: a.credited });
    }
    ok(await c.close(view.sessionId));
    const cum = [0];
    for (const b of beats) cum.push(cum[cum.length - 1] + b.credited);
    // From the start pass: never more than the wall clock since then.
    for (let j = 0; j < beats.length; j++) expect(cum[j + 1]).toBeLessThanOrEqual((beats[j].acked - captureSent) / 1000 + 1e-9);
    // Any window of heartbeats: the server saw heartbeat i arrive after it was sent and j before its ack,
    // so the window's wall time is at most ack_j − sent_i; credit is counted in whole seconds.
    for (let i = 0; i < beats.length; i++) {
      for (let j = i + 1; j < beats.length; j++) {
        expect(cum[j + 1] - cum[i + 1]).toBeLessThanOrEqual(Math.ceil((beats[j].acked - beats[i].sent) / 1000));
      }
    }
    // Honest speed is credited (the clock pays as it goes); faster earns no more than the clock.
    if (speed === 1) expect(cum[cum.length - 1]).toBeGreaterThanOrEqual(seconds - intervalS - 3);
  }, 120_000);
});
