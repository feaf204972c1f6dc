import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { FaceCheckView } from '@app/study';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { activate, call } from '../support/auth-client';
import { face, liveFrame, makeTestVideo, ok, prepareStudy, StudyClient, studyEnv, StudyFixture } from '../support/study';
import { creditedBy, refusalCodes, ScriptedPlayer } from '../support/study-player';

/**
 * Random face checks as often as the settings allow (every 10 s, 5 s to answer): a capture of
 * someone else or of two people fails the check, the seconds since the last pass are held, and a
 * session that ends without a later pass voids them. Every capture is kept as evidence.
 */
describe('random face checks with the real face engine (scripted player)', () => {
  let t: MediaApp;
  let fx: StudyFixture;
  let videoDir: string;
  const clients: StudyClient[] = [];

  beforeAll(async () => {
    videoDir = await mkdtemp(join(tmpdir(), 'study-video-'));
    t = await startMediaApp(
      'study-checks',
      studyEnv({ STUDY_FACE_INTERVAL_MIN_SECONDS: '10', STUDY_FACE_INTERVAL_MAX_SECONDS: '10', STUDY_FACE_WINDOW_SECONDS: '5' }),
    );
    fx = await prepareStudy(t.baseUrl, t.passwords, { video: await makeTestVideo(videoDir, 60), lessons: 3 });
  }, 300_000);
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await t?.stop();
    await rm(videoDir, { recursive: true, force: true });
  });

  /** Passes the start check, then plays until the first random check arrives. */
  async function untilRandomCheck(lessonId: string): Promise<{ p: ScriptedPlayer; check: FaceCheckView }> {
    const c = await StudyClient.connect(t.baseUrl, fx.tokens.trainee);
    clients.push(c);
    const view = ok(await c.open(lessonId));
    expect(ok(await c.capture(view.sessionId, view.checks.face!.id, await liveFrame('obama-2.jpg'))).outcome).toBe('match');
    const p = new ScriptedPlayer(c, view);
    for (let i = 0; i < 15; i++) {
      const check = (await p.play(1)).map((a) => a.checks.face).find((f) => f?.reason === 'random' && f.status === 'outstanding');
      if (check) return { p, check };
    }
    throw new Error('no random face check within 15 s');
  }

  it("another person's face fails the check: credit since the last pass is held, then voided when the session ends", async () => {
    const { p, check } = await untilRandomCheck(fx.lessonIds[0]);
    const before = creditedBy(p.acks);
    expect(before).toBeGreaterThan(5);
    const res = ok(await p.client.capture(p.sessionId, check.id, await face('biden-1.jpg')));
    expect(res).toMatchObject({ outcome: 'mismatch', check: { status: 'failed' } });
    expect(res.distance).toBeGreaterThan(0.54);
    expect(res.totals.heldSeconds).toBe(before);
    expect(res.credited).toBe(-before);
    expect(res.totals.sessionCreditedSeconds).toBe(0);
    const stopped = await p.play(3);
    expect(creditedBy(stopped)).toBe(0);
    expect(refusalCodes(stopped)).toContain('FACE_CHECK_FAILED');

    const closed = ok(await p.client.close(p.sessionId));
    expect(closed).toMatchObject({ settledSeconds: 0, voidedSeconds: before });
    const db = await MongoClient.connect(t.db.uri);
    try {
      expect(await db.db(t.db.dbName).collection('hour_ledger').countDocuments({ sessionId: p.sessionId })).toBe(0);
    } finally {
      await db.close();
    }

    // The mismatch is on the record, its image kept and served to the tenant's auditor, not to another region's.
    const record = (await call(t.baseUrl, 'GET', `/api/v1/study/sessions/${p.sessionId}`, { token: fx.tokens.auditor })).body;
    const random = record.checks.find((c: { id: string }) => c.id === check.id);
    expect(random).toMatchObject({ reason: 'random', status: 'failed', attempts: [{ outcome: 'mismatch' }] });
    expect(record.session).toMatchObject({ status: 'closed', voidedSeconds: before, settledSeconds: 0 });
    const captureId = random.attempts[0].captureId;
    const img = await fetch(`${t.baseUrl}/api/v1/study/captures/${captureId}/image`, { headers: { authorization: `Bearer ${fx.tokens.auditor}` } });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await img.arrayBuffer());
    expect(bytes.equals(await face('biden-1.jpg'))).toBe(true);
    expect(img.headers.get('x-content-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
    const zbInstitution = await activate(t.baseUrl, 'zb-institution', t.passwords.get('zb-institution')!);
    expect((await fetch(`${t.baseUrl}/api/v1/study/captures/${captureId}/image`, { headers: { authorization: `Bearer ${zbInstitution.accessToken}` } })).status).toBe(404);
    // Looking at a face image is on the record (PIPL); the refused look is not.
    const client = await MongoClient.connect(t.db.uri);
    try {
      const reads = await client.db(t.db.dbName).collection('audit_log').find({ action: 'study-capture.image.read', 'target.id': captureId }).toArray();
      expect(reads).toEqual([expect.objectContaining({ actor: expect.objectContaining({ kind: 'user', role: 'auditor' }), tenant: expect.objectContaining({ regionCode: expect.stringMatching(/^2307/) }) })]);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('two people in the frame is "several faces", and an unanswered check times out the same way', async () => {
    const { p, check } = await untilRandomCheck(fx.lessonIds[1]);
    const res = ok(await p.client.capture(p.sessionId, check.id, await face('two-people.jpg')));
    expect(res).toMatchObject({ outcome: 'several-faces', check: { status: 'failed' } });
    await p.client.close(p.sessionId);

    const second = await untilRandomCheck(fx.lessonIds[2]);
    const held = creditedBy(second.p.acks);
    // Let the 5 s window pass without a capture.
    const waited = await second.p.play(7);
    expect(creditedBy(waited)).toBe(0);
    const last = waited[waited.length - 1];
    expect(last.checks.face).toMatchObject({ id: second.check.id, status: 'timed-out' });
    expect(last.totals.heldSeconds).toBe(held);
    const late = await second.p.client.capture(second.p.sessionId, second.check.id, await liveFrame('obama-2.jpg'));
    expect('error' in late && late.error.code).toBe('CHECK_NOT_OUTSTANDING');
    expect(ok(await second.p.client.close(second.p.sessionId))).toMatchObject({ settledSeconds: 0, voidedSeconds: held });
  }, 120_000);
});
