// Medium spec: CloseStudySession against the real database, with a clock the test moves.
import { codeOf, ledgerSeconds, studying, StudyMedium, studyMedium, EVERYONE } from '../../test-support/study-medium';

let m: StudyMedium;
beforeAll(async () => {
  m = await studyMedium('close-session', { faceIntervalMinSeconds: 60, faceIntervalMaxSeconds: 90, promptIntervalMinSeconds: 3000, promptIntervalMaxSeconds: 3600 });
});
afterAll(() => m?.stop());

describe('CloseStudySession', () => {
  it('closing after a passed check settles the provisional seconds into the ledger; closing again answers the same', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    await p.play(15);
    await p.play(15);
    const closed = await m.close.execute({ user: t.user, sessionId: p.sessionId });
    expect(closed).toMatchObject({ status: 'closed', settledSeconds: 30, voidedSeconds: 0, message: '学习已结束' });
    expect(await ledgerSeconds(m, t.traineeId)).toBe(30);
    expect(await m.close.execute({ user: t.user, sessionId: p.sessionId })).toEqual(closed);
    expect(await ledgerSeconds(m, t.traineeId)).toBe(30);
  });

  it('closing while a random check is outstanding voids what no pass vouches for', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    let ack = (await p.play(15)).ack;
    while (ack.checks.face?.status !== 'outstanding') ack = (await p.play(15)).ack;
    const provisional = ack.totals.sessionCreditedSeconds;
    await p.play(10);
    const closed = await m.close.execute({ user: t.user, sessionId: p.sessionId });
    expect(closed.settledSeconds).toBe(0);
    expect(closed.voidedSeconds).toBe(provisional);
    expect(await ledgerSeconds(m, t.traineeId)).toBe(0);
  });

  it('another trainee cannot close my session', async () => {
    const t = m.newTrainee();
    const other = m.newTrainee();
    const p = await studying(m, t);
    expect(await codeOf(m.close.execute({ user: other.user, sessionId: p.sessionId }))).toBe('SESSION_NOT_FOUND');
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.status).toBe('active');
  });
});
