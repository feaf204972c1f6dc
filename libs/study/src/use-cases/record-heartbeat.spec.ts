// Medium spec: RecordHeartbeat against the real database, with a clock the test moves.
import { codeOf, studying, StudyMedium, studyMedium, EVERYONE } from '../../test-support/study-medium';

let m: StudyMedium;
beforeAll(async () => {
  // No random checks or prompts inside these specs' few minutes.
  m = await studyMedium('record-heartbeat', { faceIntervalMinSeconds: 3000, faceIntervalMaxSeconds: 3600, promptIntervalMinSeconds: 3000, promptIntervalMaxSeconds: 3600 });
});
afterAll(() => m?.stop());

describe('RecordHeartbeat', () => {
  it('credits the seconds played since the last heartbeat, once the session-start check passed', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    let total = 0;
    for (let i = 0; i < 4; i++) {
      const { ack } = await p.play(15);
      expect(ack).toMatchObject({ accepted: true, credited: 15, refusals: [] });
      total += ack.credited;
    }
    expect(total).toBe(60);
    const s = await m.repo.findById(EVERYONE, p.sessionId);
    expect(s!.provisional).toEqual([[0, 60]]);
    expect(s!.lastSeenAt).toBe(m.clock.now());
  });

  it('before the session-start check passes nothing is credited, and the refusal is kept as evidence', async () => {
    const t = m.newTrainee();
    const { view } = await m.open.execute({ user: t.user, lessonId: t.lessonId });
    await m.heartbeat.execute({ user: t.user, sessionId: view.sessionId, heartbeat: { seq: 0, position: 0, playing: true, visible: true, playbackRate: 1, sentAt: 0 } });
    m.clock.advanceSeconds(15);
    const { ack } = await m.heartbeat.execute({ user: t.user, sessionId: view.sessionId, heartbeat: { seq: 1, position: 15, playing: true, visible: true, playbackRate: 1, sentAt: 0 } });
    expect(ack.credited).toBe(0);
    expect(ack.refusals.map((r) => r.code)).toContain('FACE_CHECK_REQUIRED');
    expect((await m.repo.refusalsOf((await m.repo.findById(EVERYONE, view.sessionId))!)).map((r) => r.code)).toContain('FACE_CHECK_REQUIRED');
  });

  it('a hidden tab and a paused player earn nothing for their interval', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    expect((await p.play(15, { visible: false })).ack.refusals.map((r) => r.code)).toEqual(['TAB_HIDDEN']);
    expect((await p.play(15, { playing: false })).ack.credited).toBe(0);
    const codes = (await m.repo.refusalsOf((await m.repo.findById(EVERYONE, p.sessionId))!)).map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['TAB_HIDDEN', 'PAUSED']));
  });

  it('measures from when the message arrived, not when it was processed', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    await p.play(15);
    const arrived = m.clock.advanceSeconds(15);
    // Processed 3 s after arrival (queued behind the session's lock): the interval is still 15 s.
    m.clock.advanceSeconds(3);
    const { ack } = await m.heartbeat.execute({
      user: t.user,
      sessionId: p.sessionId,
      heartbeat: { seq: 100, position: 30, playing: true, visible: true, playbackRate: 1, sentAt: 0 },
      receivedAt: arrived,
    });
    expect(ack.credited).toBe(15);
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.lastSeenAt).toBe(arrived);
  });

  it('refuses another trainee’s session and a session that has ended', async () => {
    const t = m.newTrainee();
    const other = m.newTrainee();
    const p = await studying(m, t);
    const hb = { seq: 50, position: 0, playing: true, visible: true, playbackRate: 1, sentAt: 0 };
    expect(await codeOf(m.heartbeat.execute({ user: other.user, sessionId: p.sessionId, heartbeat: hb }))).toBe('SESSION_NOT_FOUND');
    await m.close.execute({ user: t.user, sessionId: p.sessionId });
    expect(await codeOf(m.heartbeat.execute({ user: t.user, sessionId: p.sessionId, heartbeat: hb }))).toBe('SESSION_ENDED');
  });

  it('a start check left unanswered time after time ends the session at the heartbeat that finds the last timeout', async () => {
    const t = m.newTrainee();
    const { view } = await m.open.execute({ user: t.user, lessonId: t.lessonId });
    const { faceMaxFailures, faceWindowSeconds, faceRetryWindowSeconds } = m.settings.checks;
    let seq = view.nextSeq;
    const beat = (seconds: number) => {
      m.clock.advanceSeconds(seconds);
      return m.heartbeat.execute({ user: t.user, sessionId: view.sessionId, heartbeat: { seq: seq++, position: 0, playing: false, visible: true, playbackRate: 1, sentAt: 0 } });
    };
    await beat(0);
    for (let n = 1; n < faceMaxFailures; n++) {
      const missed = await beat(faceWindowSeconds + faceRetryWindowSeconds);
      expect({ n, ended: missed.ended, face: missed.ack.checks.face?.status }).toEqual({ n, ended: undefined, face: 'outstanding' });
    }
    const last = await beat(faceWindowSeconds + faceRetryWindowSeconds);
    expect(last.ended).toMatchObject({ sessionId: view.sessionId, status: 'terminated', code: 'SESSION_FACE_FAILURES' });
    expect(last.ack.credited).toBe(0);
    expect(await codeOf(beat(5))).toBe('SESSION_TERMINATED');
  });

  it("staff, whose scope covers the trainee, still cannot study in the trainee's session (代学)", async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const beat = { seq: 50, position: 15, playing: true, visible: true, playbackRate: 1, sentAt: 0 };
    m.clock.advanceSeconds(15);
    const admin = { id: t.user.id, role: 'admin' as const, sessionId: 'admin-login' };
    expect(await codeOf(m.heartbeat.execute({ user: admin, sessionId: p.sessionId, heartbeat: beat }))).toBe('FORBIDDEN');
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.provisional).toEqual([]);
  });
});
