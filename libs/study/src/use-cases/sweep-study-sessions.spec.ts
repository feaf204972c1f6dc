// Medium spec: SweepStudySessions against the real database, with a clock the test moves.
import { startFlush } from '../session/session-rules';
import { ledgerSeconds, studying, StudyMedium, studyMedium, EVERYONE } from '../../test-support/study-medium';

let m: StudyMedium;
beforeAll(async () => {
  m = await studyMedium('sweep-sessions', { faceIntervalMinSeconds: 3000, faceIntervalMaxSeconds: 3600, promptIntervalMinSeconds: 3000, promptIntervalMaxSeconds: 3600, idleTimeoutSeconds: 120 });
});
afterAll(() => m?.stop());

describe('SweepStudySessions', () => {
  it('ends a session whose client went quiet for the idle timeout, settling what its last pass vouches for', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    await p.play(15);
    m.clock.advanceSeconds(119);
    await m.sweep.execute();
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.status).toBe('active');
    m.clock.advanceSeconds(2);
    expect(await m.sweep.execute()).toBeGreaterThanOrEqual(1);
    const s = await m.repo.findById(EVERYONE, p.sessionId);
    expect(s).toMatchObject({ status: 'abandoned', settledSeconds: 15, endedAt: m.clock.now() });
    expect(await ledgerSeconds(m, t.traineeId)).toBe(15);
  });

  it('finishes a ledger write a crashed process left pending, exactly once', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    await p.play(15);
    // The crash: the pending write is saved on the session, the ledger append never happened.
    const s = (await m.repo.findById(EVERYONE, p.sessionId))!;
    await m.repo.save(startFlush(s, m.clock.now()), s);
    expect(await ledgerSeconds(m, t.traineeId)).toBe(0);
    await m.sweep.execute();
    await m.sweep.execute();
    expect(await ledgerSeconds(m, t.traineeId)).toBe(15);
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.flushing).toBeUndefined();
  });
});
