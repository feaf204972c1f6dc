import { LessonRepository } from '@app/catalog';
import { MediaJobRepository } from '@app/media';
import { JOB_LEASE_MS, JobRunner, JobStore } from '@app/platform';
import { startTestApp, TestApp } from '../support/app';
import { auditRecords } from '../support/audit';
import { activate, call, demoPasswords } from '../support/auth-client';

/** Jobs against the real database: a process that died mid-job must not leave it "running". */
describe('packaging jobs survive a crash', () => {
  let t: TestApp;
  let jobs: MediaJobRepository;
  let runner: JobRunner;
  let store: JobStore;
  let admin: string;
  let courseId: string;

  beforeAll(async () => {
    // This process runs no packaging jobs itself: the test plays the dead process and the recovery.
    t = await startTestApp('media-jobs', { JOBS_RUN: 'study.sweep', MEDIA_JOB_MAX_ATTEMPTS: '2' });
    jobs = t.app.get(MediaJobRepository);
    runner = t.app.get(JobRunner);
    store = t.app.get(JobStore);
    admin = (await activate(t.baseUrl, 'admin', demoPasswords(t.app).get('admin')!)).accessToken;
    const yc = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
    courseId = (
      await call(t.baseUrl, 'POST', '/api/v1/courses', {
        token: admin,
        body: { programId: yc, code: 'JOBS', title: '任务', audiences: [{ industry: '*', category: '*', requirement: 'elective' }] },
      })
    ).body.id;
  });
  afterAll(() => t?.stop());

  const lesson = async () => (await call(t.baseUrl, 'POST', `/api/v1/courses/${courseId}/lessons`, { token: admin, body: { title: '课' } })).body.id as string;
  const longAgo = () => new Date(Date.now() - JOB_LEASE_MS - 5_000);
  // As the runner of another process claims (on the platform's job store), its lease last renewed at `at`.
  const claim = (owner: string, at: Date) => store.claim(['media.ingest'], owner, new Date(), at.getTime() + JOB_LEASE_MS - Date.now());
  const sweep = () => runner.recoverStale(['media.ingest']);

  it('requeues an interrupted job while attempts remain, then fails it with a zh-CN reason', async () => {
    const lessonId = await lesson();
    const queued = await jobs.enqueue({ lessonId, uploadPath: '/nonexistent/upload', uploadId: 'u1', maxAttempts: 2 });
    // A process claims it, then dies: its heartbeat stops.
    expect((await claim('dead-process-1', longAgo()))!.id).toBe(queued.id);
    await sweep();
    const again = (await jobs.findById(queued.id))!;
    expect(again).toMatchObject({ status: 'queued', attempts: 1, error: { code: 'JOB_INTERRUPTED' } });

    expect((await claim('dead-process-2', longAgo()))!.attempts).toBe(2);
    await sweep();
    const failed = (await jobs.findById(queued.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'MEDIA_INTERRUPTED', message: '处理进程意外中断，多次重试后仍未完成' });
  });

  it('leaves a job with a live heartbeat alone', async () => {
    const lessonId = await lesson();
    const j = await jobs.enqueue({ lessonId, uploadPath: '/nonexistent', uploadId: 'u2', maxAttempts: 2 });
    await claim('live-process', new Date());
    await sweep();
    expect((await jobs.findById(j.id))!.status).toBe('running');
  });

  it('marks the lesson failed when its job is given up', async () => {
    const lessonId = await lesson();
    const j = await jobs.enqueue({ lessonId, uploadPath: '/nonexistent', uploadId: 'u3', maxAttempts: 1 });
    // As the upload endpoint does: the lesson is processing under the job it queued.
    await t.app.get(LessonRepository).markProcessing(lessonId, j.id);
    await claim('dead-process-3', longAgo());
    await sweep();
    const l = (await call(t.baseUrl, 'GET', `/api/v1/lessons/${lessonId}`, { token: admin })).body;
    expect(l).toMatchObject({ status: 'failed', failure: { code: 'MEDIA_INTERRUPTED' } });
    // Given up by the platform, recorded as the ingest job's own failure.
    const recs = await auditRecords(t.app, { 'target.id': j.id });
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'media-job.fail',
      actor: { kind: 'system', reason: '视频转码任务 media ingest' },
      target: { type: 'media-job', id: j.id },
      tenant: { regionCode: '230700' },
      before: { lessonId, lessonStatus: 'processing' },
      after: { lessonId, lessonStatus: 'failed', code: 'MEDIA_INTERRUPTED' },
    });
  });

  it('hands each queued job to exactly one claimant', async () => {
    const lessonId = await lesson();
    const a = await jobs.enqueue({ lessonId, uploadPath: '/x', uploadId: 'a', maxAttempts: 2 });
    const claims = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((o) => claim(o, new Date())));
    const got = claims.filter((c) => c?.id === a.id);
    expect(got).toHaveLength(1);
  });
});
