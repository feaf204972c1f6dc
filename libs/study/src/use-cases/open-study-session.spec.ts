// Medium spec: OpenStudySession against the real database, with a clock the test moves.
import { codeOf, studying, StudyMedium, studyMedium, EVERYONE } from '../../test-support/study-medium';

let m: StudyMedium;
beforeAll(async () => {
  m = await studyMedium('open-session');
});
afterAll(() => m?.stop());

describe('OpenStudySession', () => {
  it('opens with the session-start face check outstanding and nothing credited', async () => {
    const t = m.newTrainee();
    const { view, superseded } = await m.open.execute({ user: t.user, lessonId: t.lessonId, device: 'x'.repeat(200) });
    expect(superseded).toEqual([]);
    expect(view).toMatchObject({ status: 'active', resumed: false, nextSeq: 0, lessonDuration: 600 });
    expect(view.checks.face).toMatchObject({ reason: 'session-start', status: 'outstanding' });
    expect(view.checks.face!.deadline).toBe(m.clock.now() + m.settings.checks.faceWindowSeconds * 1000);
    const stored = await m.repo.findById(EVERYONE, view.sessionId);
    expect(stored!.startedAt).toBe(m.clock.now());
    expect(stored!.device).toHaveLength(120);
  });

  it('resumes the caller’s live session of that lesson instead of opening another', async () => {
    const t = m.newTrainee();
    const first = await m.open.execute({ user: t.user, lessonId: t.lessonId });
    m.clock.advanceSeconds(30);
    const again = await m.open.execute({ user: t.user, lessonId: t.lessonId, resumeSessionId: first.view.sessionId });
    expect(again.view).toMatchObject({ sessionId: first.view.sessionId, resumed: true });
    expect((await m.repo.findById(EVERYONE, first.view.sessionId))!.lastSeenAt).toBe(m.clock.now());
  });

  it('one device at a time: opening elsewhere supersedes the live session and settles what its checks vouch for', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    await p.play(15);
    const second = await m.open.execute({ user: t.user, lessonId: t.lessonId });
    expect(second.superseded).toEqual([p.sessionId]);
    const old = await m.repo.findById(EVERYONE, p.sessionId);
    expect(old).toMatchObject({ status: 'superseded', settledSeconds: 15 });
    // The new session starts from what the ledger holds.
    const fresh = await m.repo.findById(EVERYONE, second.view.sessionId);
    expect(fresh!.credit.credited).toEqual([[0, 15]]);
    expect(fresh!.base).toEqual({ programSeconds: 15, onlineSeconds: 15 });
    expect(await codeOf(p.play(15))).toBe('SESSION_SUPERSEDED');
  });

  it('refuses a trainee without a face reference', async () => {
    const t = m.newTrainee({ references: [] });
    expect(await codeOf(m.open.execute({ user: t.user, lessonId: t.lessonId }))).toBe('FACE_REFERENCE_MISSING');
  });

  it('a resume id that is not the caller’s live session of that lesson opens a new one', async () => {
    const t = m.newTrainee();
    const other = m.newTrainee();
    const theirs = await m.open.execute({ user: other.user, lessonId: other.lessonId });
    const mine = await m.open.execute({ user: t.user, lessonId: t.lessonId, resumeSessionId: theirs.view.sessionId });
    expect(mine.view.sessionId).not.toBe(theirs.view.sessionId);
    expect(mine.view.resumed).toBe(false);
  });

  it('a trainee under oversight’s watch has face checks drawn that many times as often, also after the start check passes', async () => {
    const { faceIntervalMinSeconds: min, faceIntervalMaxSeconds: max } = m.settings.checks;
    const watched = m.newTrainee();
    m.watched.set(watched.traineeId, 3);
    const plain = m.newTrainee();
    const w = await m.open.execute({ user: watched.user, lessonId: watched.lessonId });
    const p = await m.open.execute({ user: plain.user, lessonId: plain.lessonId });
    const opened = m.clock.now();
    const ws = (await m.repo.findById(EVERYONE, w.view.sessionId))!;
    const ps = (await m.repo.findById(EVERYONE, p.view.sessionId))!;
    expect(ws.watchFactor).toBe(3);
    expect(ps.watchFactor).toBeUndefined();
    expect(ws.nextFaceCheckAt - opened).toBeGreaterThanOrEqual(Math.round(min / 3) * 1000);
    expect(ws.nextFaceCheckAt - opened).toBeLessThanOrEqual(Math.round(max / 3) * 1000);
    expect(ps.nextFaceCheckAt - opened).toBeGreaterThanOrEqual(min * 1000);
    // The start check's pass draws the next one from the watched schedule too.
    const again = await studying(m, watched);
    const passed = m.clock.now();
    const after = (await m.repo.findById(EVERYONE, again.sessionId))!;
    expect(after).toMatchObject({ watchFactor: 3, verifiedAt: passed });
    expect(after.nextFaceCheckAt - passed).toBeLessThanOrEqual(Math.round(max / 3) * 1000);
  });
});
