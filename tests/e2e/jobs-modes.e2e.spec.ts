import { readFile } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { loadConfig, withDbName } from '@app/platform';
import { createWorker, WORKER_OVERRIDES } from '../../apps/worker/src/worker.module';
import { waitForJob } from '../../libs/media/test-support/jobs';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { tusUpload } from '../../libs/media/test-support/tus-client';
import { activate, call } from '../support/auth-client';
import { CLIP, ok, prepareStudy, sleep, StudyClient, studyEnv } from '../support/study';

// The shortest idle timeout the settings allow; the sweep then runs every 15 s.
const ENV = studyEnv({ STUDY_IDLE_TIMEOUT_SECONDS: '30' });

/** Opens a session and goes quiet: the sweep, wherever it runs, must end it as abandoned. */
async function abandonedBySweep(t: MediaApp): Promise<void> {
  const fx = await prepareStudy(t.baseUrl, t.passwords);
  const client = await StudyClient.connect(t.baseUrl, fx.tokens.trainee);
  try {
    const view = ok(await client.open(fx.lessonId));
    client.disconnect();
    const deadline = Date.now() + 90_000;
    for (;;) {
      const s = (await call(t.baseUrl, 'GET', `/api/v1/study/sessions/${view.sessionId}`, { token: fx.tokens.trainee })).body.session;
      if (s.status !== 'active') {
        expect(s).toMatchObject({ status: 'abandoned', endReason: '长时间未收到学习心跳，学习已自动结束' });
        return;
      }
      if (Date.now() > deadline) throw new Error('the idle session was not swept in 90 s');
      await sleep(1000);
    }
  } finally {
    client.disconnect();
  }
}

async function jobsCollection<T>(t: MediaApp, fn: (jobs: ReturnType<ReturnType<MongoClient['db']>['collection']>) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(t.db.uri);
  try {
    return await fn(client.db(t.db.dbName).collection('jobs'));
  } finally {
    await client.close();
  }
}

describe('jobs in the API process (JOBS_RUN=all, the default)', () => {
  let t: MediaApp;
  beforeAll(async () => {
    t = await startMediaApp('jobs-api', ENV);
  }, 120_000);
  afterAll(() => t?.stop());

  it('packages uploads and sweeps idle sessions in the API', async () => {
    // prepareStudy uploads and waits for the packaging job: the API ran it.
    await abandonedBySweep(t);
    const sweep = await jobsCollection(t, (jobs) => jobs.findOne({ key: 'study.sweep' }));
    expect(sweep).toMatchObject({ name: 'study.sweep', lastOutcome: 'succeeded' });
  }, 300_000);
});

describe('jobs in apps/worker (the API with JOBS_RUN=none)', () => {
  let t: MediaApp;
  let worker: INestApplicationContext | undefined;
  beforeAll(async () => {
    t = await startMediaApp('jobs-worker', { ...ENV, JOBS_RUN: 'none' });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.stop();
  });

  it('leaves packaging to the worker, which runs it, and the sweep', async () => {
    const session = await activate(t.baseUrl, 'admin', t.passwords.get('admin')!);
    const token = session.accessToken;
    // prepareStudy logs in again, with the password the first login had to set.
    t.passwords.set('admin', session.password);
    const programId = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items[0].id;
    const course = (await call(t.baseUrl, 'POST', '/api/v1/courses', { token, body: { programId, code: 'WORKER-1', title: '后台任务', audiences: [{ industry: '*', category: '*', requirement: 'elective' }] } })).body;
    const lessonId = (await call(t.baseUrl, 'POST', `/api/v1/courses/${course.id}/lessons`, { token, body: { title: '课时' } })).body.id;
    const up = await tusUpload(t.baseUrl, token, await readFile(CLIP), { lessonId, filename: 'clip.mp4' });

    // The API runs no job: the upload waits, and no recurring sweep was set up.
    await sleep(2500);
    expect((await call(t.baseUrl, 'GET', `/api/v1/media/jobs/${up.jobId}`, { token })).body).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await jobsCollection(t, (jobs) => jobs.findOne({ key: 'study.sweep' }))).toBeNull();

    // The worker, built as apps/worker builds it, against the same database and data directory.
    worker = await createWorker(
      loadConfig({ NODE_ENV: 'test', MONGODB_URI: withDbName(t.db.uri, t.db.dbName), DATA_DIR: t.dataDir, LOG_LEVEL: 'warn', ...ENV, ...WORKER_OVERRIDES }),
    );
    await worker.init();
    const job = await waitForJob(t.baseUrl, token, up.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', phase: 'done', progress: 100, attempts: 1, mode: 'remux' });
    expect((await call(t.baseUrl, 'GET', `/api/v1/lessons/${lessonId}`, { token })).body).toMatchObject({ status: 'published' });

    await abandonedBySweep(t);
    const sweep = await jobsCollection(t, (jobs) => jobs.findOne({ key: 'study.sweep' }));
    expect(sweep).toMatchObject({ name: 'study.sweep', lastOutcome: 'succeeded' });
  }, 300_000);
});
