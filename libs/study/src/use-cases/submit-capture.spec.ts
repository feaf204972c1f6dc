// Medium spec: SubmitCapture against the real database and blob store, with a clock the test moves.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Types } from 'mongoose';
import sharp from 'sharp';
import { codeOf, fakeJpeg, studying, StudyMedium, studyMedium, EVERYONE } from '../../test-support/study-medium';

let m: StudyMedium;
beforeAll(async () => {
  // Random checks every 60–120 s, so a spec reaches one in a few steps of the clock.
  m = await studyMedium('submit-capture', { faceIntervalMinSeconds: 60, faceIntervalMaxSeconds: 120, promptIntervalMinSeconds: 3000, promptIntervalMaxSeconds: 3600 });
});
afterAll(() => m?.stop());

/** Stored capture images of a session (sidecars aside). */
async function imagesOf(sessionId: string): Promise<string[]> {
  const dir = join(m.blobDir, 'study-captures', sessionId);
  return (await readdir(dir).catch(() => [])).filter((f) => !f.endsWith('.meta.json') && !f.includes('.meta'));
}

/** Plays on until the server issues a random face check; returns its id. */
async function untilRandomCheck(p: Awaited<ReturnType<typeof studying>>): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const { ack } = await p.play(15);
    if (ack.checks.face?.status === 'outstanding' && ack.checks.face.reason === 'random') return ack.checks.face.id;
  }
  throw new Error('no random check issued');
}

describe('SubmitCapture', () => {
  it('a version conflict while the session is updated stores the capture once: one image, one record, bytes unchanged, the engine asked once', async () => {
    const t = m.newTrainee();
    const { view } = await m.open.execute({ user: t.user, lessonId: t.lessonId });
    // Another process saves the session between this one's load and its save, exactly once.
    const realSave = m.repo.save.bind(m.repo);
    let bumped = false;
    m.repo.save = async (next, prev) => {
      if (!bumped) {
        bumped = true;
        await m.conn.collection('study_sessions').updateOne({ _id: new Types.ObjectId(prev.id) }, { $inc: { version: 1 } });
      }
      return realSave(next, prev);
    };
    const calls = m.verifier.calls.length;
    const image = fakeJpeg(4242);
    try {
      const { ack } = await m.capture.execute({ user: t.user, sessionId: view.sessionId, checkId: view.checks.face!.id, image });
      expect(ack.check.status).toBe('passed');
    } finally {
      m.repo.save = realSave;
    }
    expect(bumped).toBe(true);
    expect(m.verifier.calls.length - calls).toBe(1);
    const records = await m.repo.capturesOf(EVERYONE, view.sessionId);
    expect(records).toHaveLength(1);
    const images = await imagesOf(view.sessionId);
    expect(images).toHaveLength(1);
    expect(await readFile(join(m.blobDir, 'study-captures', view.sessionId, images[0]))).toEqual(image);
    expect(records[0].blobKey).toBe(`study-captures/${view.sessionId}/${images[0]}`);
    // The session refers to that one record.
    const s = await m.repo.findById(EVERYONE, view.sessionId);
    expect(s!.faceCheck!.status).toBe('passed');
  });

  it('a passed random check settles the seconds since the last pass into the ledger, with the capture as evidence', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const checkId = await untilRandomCheck(p);
    const { ack } = await p.capture(checkId);
    expect(ack.check.status).toBe('passed');
    expect(ack.outcome).toBe('match');
    const entries = await m.ledger.listForTrainee(EVERYONE, t.traineeId);
    const settled = entries.reduce((n, e) => n + e.seconds, 0);
    expect(settled).toBe(ack.totals.sessionCreditedSeconds);
    expect(settled).toBeGreaterThanOrEqual(45);
    const captures = await m.repo.capturesOf(EVERYONE, p.sessionId);
    expect(entries[entries.length - 1].evidence).toContain(captures[captures.length - 1].id);
  });

  it('a mismatch fails the check: credit since the last pass goes on hold and nothing more is credited until a pass', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const checkId = await untilRandomCheck(p);
    m.verifier.next('mismatch');
    const { ack } = await p.capture(checkId);
    expect(ack.check.status).toBe('failed');
    expect(ack.totals.heldSeconds).toBeGreaterThan(0);
    expect((await p.play(15)).ack.credited).toBe(0);
    expect(await m.ledger.listForTrainee(EVERYONE, t.traineeId)).toHaveLength(0);
  });

  it('the last mismatch in a row that the settings allow terminates the session: the ack says so, and the session takes nothing more', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    let checkId = await untilRandomCheck(p);
    const { faceMaxFailures, faceRetryWindowSeconds } = m.settings.checks;
    for (let n = 1; n < faceMaxFailures; n++) {
      m.verifier.next('mismatch');
      const { ack, ended } = await p.capture(checkId);
      expect({ n, status: ack.check.status, ended }).toEqual({ n, status: 'failed', ended: undefined });
      const { ack: next } = await p.play(faceRetryWindowSeconds);
      expect(next.checks.face).toMatchObject({ status: 'outstanding', reason: 'random' });
      checkId = next.checks.face!.id;
    }
    m.verifier.next('mismatch');
    const last = await p.capture(checkId);
    expect(last.ended).toMatchObject({ status: 'terminated', code: 'SESSION_FACE_FAILURES', message: expect.stringContaining('人脸核验') });
    expect(last.ack.message).toBe(last.ended!.message);
    const s = await m.repo.findById(EVERYONE, p.sessionId);
    expect(s).toMatchObject({ status: 'terminated', faceFailures: faceMaxFailures });
    expect(await codeOf(p.play(15))).toBe('SESSION_TERMINATED');
    // What was held since the last pass never got one: nothing reached the ledger after it.
    expect(await m.ledger.listForTrainee(EVERYONE, t.traineeId)).toHaveLength(0);
  });

  it('a capture after the check’s deadline is refused and the timeout is recorded, without asking the engine', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const checkId = await untilRandomCheck(p);
    m.clock.advanceSeconds(m.settings.checks.faceWindowSeconds + 1);
    const calls = m.verifier.calls.length;
    expect(await codeOf(p.capture(checkId))).toBe('CHECK_NOT_OUTSTANDING');
    expect(m.verifier.calls.length).toBe(calls);
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.faceCheck!.status).toBe('timed-out');
  });

  it('a capture whose check closes while the engine judges it is kept as evidence, marked as not counted', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const checkId = await untilRandomCheck(p);
    // The engine is slow; meanwhile a heartbeat past the deadline times the check out.
    const slow = m.verifier.verify.bind(m.verifier);
    m.verifier.verify = async (traineeId, image) => {
      m.verifier.verify = slow;
      await p.play(m.settings.checks.faceWindowSeconds + 5);
      return slow(traineeId, image);
    };
    expect(await codeOf(p.capture(checkId))).toBe('CHECK_NOT_OUTSTANDING');
    const records = await m.repo.capturesOf(EVERYONE, p.sessionId);
    expect(records[records.length - 1]).toMatchObject({ checkNo: Number(checkId), refusedAs: 'CHECK_NOT_OUTSTANDING' });
  });

  it('refuses an empty or oversized image, and another trainee’s session', async () => {
    const t = m.newTrainee();
    const other = m.newTrainee();
    const { view } = await m.open.execute({ user: t.user, lessonId: t.lessonId });
    const checkId = view.checks.face!.id;
    expect(await codeOf(m.capture.execute({ user: t.user, sessionId: view.sessionId, checkId, image: new Uint8Array(0) }))).toBe('CAPTURE_EMPTY');
    const big = new Uint8Array(m.settings.maxCaptureBytes + 1);
    expect(await codeOf(m.capture.execute({ user: t.user, sessionId: view.sessionId, checkId, image: big }))).toBe('CAPTURE_TOO_LARGE');
    expect(await codeOf(m.capture.execute({ user: other.user, sessionId: view.sessionId, checkId, image: fakeJpeg(1) }))).toBe('SESSION_NOT_FOUND');
  });

  it('the lesson-end pass completes and settles the session', async () => {
    const t = m.newTrainee({ duration: 45 });
    const p = await studying(m, t);
    let ack = (await p.play(15)).ack;
    for (let i = 0; i < 4 && !(ack.checks.face?.reason === 'lesson-end' && ack.checks.face.status === 'outstanding'); i++) ack = (await p.play(15)).ack;
    expect(ack.checks.face).toMatchObject({ reason: 'lesson-end', status: 'outstanding' });
    const done = await p.capture(ack.checks.face!.id);
    expect(done.ended).toMatchObject({ status: 'completed', code: 'SESSION_COMPLETED' });
    const s = await m.repo.findById(EVERYONE, p.sessionId);
    expect(s!.status).toBe('completed');
    const entries = await m.ledger.listForTrainee(EVERYONE, t.traineeId);
    expect(entries.reduce((n, e) => n + e.seconds, 0)).toBe(45);
  });

  describe('a replayed capture', () => {
    it('the bytes of an earlier capture sent again fail the check, credit nothing after it, and name the capture they repeat', async () => {
      const t = m.newTrainee();
      const p = await studying(m, t);
      const [start] = await m.repo.capturesOf(EVERYONE, p.sessionId);
      const checkId = await untilRandomCheck(p);
      const calls = m.verifier.calls.length;
      const { ack } = await p.capture(checkId, fakeJpeg(0));
      expect(ack).toMatchObject({ outcome: 'replayed', check: { status: 'failed' } });
      expect(ack.message).toContain('疑似重放');
      // The engine is not asked: the image is known already.
      expect(m.verifier.calls.length).toBe(calls);
      const records = await m.repo.capturesOf(EVERYONE, p.sessionId);
      expect(records[records.length - 1]).toMatchObject({ outcome: 'replayed', replayOf: start.id });
      expect((await p.play(15)).ack.credited).toBe(0);
      expect((await p.play(15)).ack.credited).toBe(0);
    });

    it('is caught in a later session too, and when re-encoded (perceptual hash)', async () => {
      const t = m.newTrainee();
      const photo = await readFile(join(__dirname, '../../../../../shared/fixtures/faces/obama-2.jpg'));
      const first = await m.open.execute({ user: t.user, lessonId: t.lessonId });
      expect((await m.capture.execute({ user: t.user, sessionId: first.view.sessionId, checkId: first.view.checks.face!.id, image: photo })).ack.outcome).toBe('match');
      await m.close.execute({ user: t.user, sessionId: first.view.sessionId });
      m.clock.advanceSeconds(3600);
      const second = await m.open.execute({ user: t.user, lessonId: t.lessonId });
      const reencoded = await sharp(photo).jpeg({ quality: 90 }).toBuffer();
      expect(reencoded.equals(photo)).toBe(false);
      const { ack } = await m.capture.execute({ user: t.user, sessionId: second.view.sessionId, checkId: second.view.checks.face!.id, image: reencoded });
      expect(ack.outcome).toBe('replayed');
      // Another photo of the same person is a new frame.
      m.clock.advanceSeconds(30);
      const other = await readFile(join(__dirname, '../../../../../shared/fixtures/faces/obama-3.jpg'));
      const third = await m.open.execute({ user: t.user, lessonId: t.lessonId });
      expect((await m.capture.execute({ user: t.user, sessionId: third.view.sessionId, checkId: third.view.checks.face!.id, image: other })).ack.outcome).toBe('match');
    });

    it('another trainee’s identical image is not this trainee’s replay', async () => {
      const a = m.newTrainee();
      const b = m.newTrainee();
      const pa = await studying(m, a);
      const { view } = await m.open.execute({ user: b.user, lessonId: b.lessonId });
      const [first] = await m.repo.capturesOf(EVERYONE, pa.sessionId);
      const image = await readFile(join(m.blobDir, first.blobKey));
      expect((await m.capture.execute({ user: b.user, sessionId: view.sessionId, checkId: view.checks.face!.id, image })).ack.outcome).toBe('match');
    });
  });
});
