import { MongoClient } from 'mongodb';
import { withDbName } from '@app/platform';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { ApiProcess, startApiProcess } from '../support/process';
import { isError, liveFrame, ok, prepareStudy, StudyClient, studyEnv, StudyFixture } from '../support/study';
import { creditedBy, ScriptedPlayer } from '../support/study-player';

const ENV = studyEnv();

/** kill -9 of the API in the middle of a session: acknowledged credit stays, nothing counts twice, the client resumes. */
describe('study session across a kill -9 of the API', () => {
  let t: MediaApp;
  let fx: StudyFixture;
  let restarted: ApiProcess | undefined;
  const clients: StudyClient[] = [];

  beforeAll(async () => {
    t = await startMediaApp('study-restart', ENV);
    fx = await prepareStudy(t.baseUrl, t.passwords);
  }, 300_000);
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (restarted) {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
    await t?.stop();
  });

  it('keeps credit up to the last acknowledged heartbeat and resumes the same session', async () => {
    const before = await StudyClient.connect(t.baseUrl, fx.tokens.trainee);
    clients.push(before);
    const view = ok(await before.open(fx.lessonId));
    expect(ok(await before.capture(view.sessionId, view.checks.face!.id, await liveFrame('obama-2.jpg'))).outcome).toBe('match');
    const p = new ScriptedPlayer(before, view);
    await p.play(4);
    const acked = creditedBy(p.acks);
    expect(acked).toBeGreaterThan(0);
    const lastAck = p.acks[p.acks.length - 1];

    t.proc.child.kill('SIGKILL');
    expect(await t.proc.exited).toBe('SIGKILL');
    before.disconnect();
    const port = new URL(t.baseUrl).port;
    restarted = await startApiProcess({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: port,
      MONGODB_URI: withDbName(t.db.uri, t.db.dbName),
      DATA_DIR: t.dataDir,
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'always',
      ...ENV,
    });

    // Same token, same session: resumed with what was acknowledged.
    const after = await StudyClient.connect(restarted.baseUrl, fx.tokens.trainee);
    clients.push(after);
    const resumed = ok(await after.open(fx.lessonId, view.sessionId));
    expect(resumed).toMatchObject({ sessionId: view.sessionId, resumed: true, nextSeq: lastAck.seq + 1 });
    expect(resumed.totals.sessionCreditedSeconds).toBe(acked);
    p.client = after;
    // The pre-crash heartbeat sent again counts nothing.
    const replay = await after.heartbeat({ sessionId: view.sessionId, seq: lastAck.seq, position: p.position, playing: true, visible: true, playbackRate: 1, sentAt: Date.now() });
    expect(!isError(replay) && replay).toMatchObject({ accepted: false, credited: 0 });
    await p.play(3);
    const total = creditedBy(p.acks);
    expect(total).toBeGreaterThan(acked);

    const closed = ok(await after.close(view.sessionId));
    expect(closed).toMatchObject({ settledSeconds: total, voidedSeconds: 0 });
    const db = await MongoClient.connect(t.db.uri);
    try {
      const entries = await db.db(t.db.dbName).collection('hour_ledger').find({ sessionId: view.sessionId }).toArray();
      expect(entries.reduce((n, e) => n + (e.seconds as number), 0)).toBe(total);
    } finally {
      await db.close();
    }
  }, 180_000);
});
