// Medium spec: what the study verbs put on the audit trail, and that a settlement commits with its
// records or not at all.
import { AUDIT_LOG } from '@app/audit';
import { ledgerSeconds, studying, StudyMedium, studyMedium, EVERYONE } from '../../test-support/study-medium';

let m: StudyMedium;
beforeAll(async () => {
  // A random face check within a few minutes, no prompts.
  m = await studyMedium('session-audit', { faceIntervalMinSeconds: 60, faceIntervalMaxSeconds: 90, promptIntervalMinSeconds: 3000, promptIntervalMaxSeconds: 3600 });
});
afterAll(() => m?.stop());

const records = (filter: Record<string, unknown>) => m.conn.collection(AUDIT_LOG).find(filter).sort({ at: 1, seq: 1 }).toArray();
const actionsOf = async (sessionId: string) => (await records({ 'target.id': sessionId })).map((r) => r.action);

describe('study on the audit trail', () => {
  it('opening, the start check and closing are recorded as the trainee; plain heartbeats record nothing', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    expect(await actionsOf(p.sessionId)).toEqual(['study-session.open', 'study-session.face-check']);
    const [open] = await records({ 'target.id': p.sessionId, action: 'study-session.open' });
    expect(open).toMatchObject({ actor: { kind: 'user', id: t.user.id, role: 'trainee' }, tenant: { regionCode: '230702' }, after: { lessonId: t.lessonId } });
    const captures = await records({ action: 'study-capture.submit', 'after.sessionId': p.sessionId });
    expect(captures).toEqual([expect.objectContaining({ target: { type: 'study-capture', id: expect.any(String) }, after: expect.objectContaining({ outcome: 'match', checkNo: 1 }) })]);

    const before = await m.conn.collection(AUDIT_LOG).countDocuments();
    await p.play(15);
    await p.play(15);
    expect(await m.conn.collection(AUDIT_LOG).countDocuments()).toBe(before);

    await m.close.execute({ user: t.user, sessionId: p.sessionId });
    const [end] = await records({ 'target.id': p.sessionId, action: 'study-session.end' });
    expect(end).toMatchObject({ after: { status: 'closed', code: 'SESSION_CLOSED', settledSeconds: 30, voidedSeconds: 0 } });
    const [entry] = await m.ledger.listForTrainee(EVERYONE, t.traineeId);
    const [credit] = await records({ 'target.id': entry.id });
    expect(credit).toMatchObject({ action: 'ledger.credit', digest: expect.stringMatching(/^[0-9a-f]{64}$/), after: { seconds: 30, sessionId: p.sessionId } });
    // One transaction: the settlement and its records were written together.
    expect(credit.at).toEqual(end.at);
  });

  it('a missed face check noticed by a heartbeat is recorded', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    let ack = (await p.play(15)).ack;
    while (ack.checks.face?.status !== 'outstanding') ack = (await p.play(15)).ack;
    m.clock.advanceSeconds(m.settings.checks.faceWindowSeconds + 1);
    await p.play(0);
    expect(await actionsOf(p.sessionId)).toContain('study-session.face-check.timeout');
  });

  it('a settlement whose record cannot be written does not happen: session and ledger stay as they were, and a retry settles once', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    await p.play(15);
    const append = jest.spyOn(m.trail as unknown as { append: () => Promise<void> }, 'append').mockRejectedValueOnce(new Error('磁盘已满 (disk full)'));
    await expect(m.close.execute({ user: t.user, sessionId: p.sessionId })).rejects.toThrow('磁盘已满');
    append.mockRestore();
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.status).toBe('active');
    expect(await ledgerSeconds(m, t.traineeId)).toBe(0);
    expect(await actionsOf(p.sessionId)).not.toContain('study-session.end');

    const closed = await m.close.execute({ user: t.user, sessionId: p.sessionId });
    expect(closed.settledSeconds).toBe(15);
    expect(await ledgerSeconds(m, t.traineeId)).toBe(15);
  });

  it('the sweep acts as the platform, with its reason', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    m.clock.advanceSeconds(m.settings.idleTimeoutMs / 1000 + 1);
    await m.sweep.execute();
    const [end] = await records({ 'target.id': p.sessionId, action: 'study-session.end' });
    expect(end.actor).toEqual({ kind: 'system', reason: expect.stringContaining('study sweep') });
  });
});
