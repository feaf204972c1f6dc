import 'reflect-metadata';
import { INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { testDatabase, TestDatabase } from '../../../../tests/support/db';
import { AppConfigModule } from '../config/config.module';
import { loadConfig } from '../config/env';
import { withDbName } from '../database/uri';
import { JobContext, JobFailure, JobHandlerOf, JobOutcome, JobRecord, JobResult } from './job';
import { JobHandler } from './job-handler.decorator';
import { JobPayloads } from './job-names';
import { JobQueue } from './job-queue';
import { JOB_LEASE_MS, JOB_RENEW_MS, JobHandlerError, JobRunner } from './job-runner';
import { JobStore } from './job-store';
import { JobsModule } from './jobs.module';

/** What the test handlers do, set per test. */
const script: {
  ingest: (payload: JobPayloads['media.ingest'], ctx: JobContext<'media.ingest'>) => Promise<JobOutcome<'media.ingest'>>;
  abandon?: (job: JobRecord<'media.ingest'>) => Promise<JobFailure>;
  sweep: () => Promise<JobOutcome<'study.sweep'>>;
  everyMs: number;
  settled: JobRecord[];
} = { ingest: async () => ok, sweep: async () => JobResult.success({ touched: 0 }), everyMs: 60_000, settled: [] };

const ok = JobResult.success({ renditionId: 'r', durationSeconds: 1, sourceSha256: 'h' });

@JobHandler('media.ingest')
class IngestHandler implements JobHandlerOf<'media.ingest'> {
  run(payload: JobPayloads['media.ingest'], ctx: JobContext<'media.ingest'>) {
    return script.ingest(payload, ctx);
  }
  abandon(job: JobRecord<'media.ingest'>): Promise<JobFailure> {
    return script.abandon ? script.abandon(job) : Promise.resolve({ code: 'GIVEN_UP', message: '放弃' });
  }
  settled(job: JobRecord): void {
    script.settled.push(job);
  }
}

@JobHandler('media.ingest')
class SecondIngestHandler implements JobHandlerOf<'media.ingest'> {
  run() {
    return Promise.resolve(ok);
  }
}

@JobHandler('study.sweep')
class SweepHandler implements JobHandlerOf<'study.sweep'> {
  everyMs() {
    return script.everyMs;
  }
  run() {
    return script.sweep();
  }
}

const payload = (uploadId = 'u'): JobPayloads['media.ingest'] => ({ lessonId: 'l', uploadPath: '/nonexistent', uploadId });

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('JobRunner (against the database)', () => {
  let db: TestDatabase;
  const contexts: INestApplicationContext[] = [];

  beforeAll(async () => {
    db = await testDatabase('job-runner');
  });
  afterAll(() => db?.stop());
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  beforeEach(async () => {
    script.ingest = async () => ok;
    script.abandon = undefined;
    script.sweep = async () => JobResult.success({ touched: 0 });
    script.everyMs = 60_000;
    script.settled = [];
  });

  /** A process: the platform's config and database, the jobs module and the given handlers. */
  async function processWith(handlers: Type[], env: Record<string, string> = {}): Promise<INestApplicationContext> {
    // The two jobs this spec has stand-in handlers for; the others belong to contexts not loaded here.
    const config = loadConfig({ NODE_ENV: 'test', JOBS_RUN: 'media.ingest,study.sweep', MONGODB_URI: withDbName(db.uri, db.dbName), ...env });
    const ctx = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), MongooseModule.forRoot(withDbName(db.uri, db.dbName)), JobsModule],
      providers: handlers,
    }).compile();
    ctx.useLogger(false);
    try {
      await ctx.init();
    } catch (e) {
      // A refused start-up (what some tests expect): Nest's close() would rethrow it, so only the connection is closed.
      await ctx.get<Connection>(getConnectionToken()).close();
      throw e;
    }
    contexts.push(ctx);
    return ctx;
  }

  async function fresh(handlers: Type[] = [IngestHandler, SweepHandler], env: Record<string, string> = {}) {
    const ctx = await processWith(handlers, env);
    await ctx.get<Connection>(getConnectionToken()).collection('jobs').deleteMany({});
    return { ctx, queue: ctx.get(JobQueue), store: ctx.get(JobStore), runner: ctx.get(JobRunner) };
  }

  const final = (queue: JobQueue, id: string) =>
    until(`job ${id} final`, async () => {
      const j = await queue.findById('media.ingest', id);
      return j && ['succeeded', 'failed', 'skipped'].includes(j.status) ? j : undefined;
    });

  it('runs a job enqueued in the process at once and writes its result', async () => {
    const { queue } = await fresh();
    const job = await queue.enqueue('media.ingest', payload(), { maxAttempts: 2 });
    const done = await final(queue, job.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, progress: 100, result: { renditionId: 'r', durationSeconds: 1, sourceSha256: 'h' }, payload: payload() });
    expect(done.owner).toBeUndefined();
    expect(done.leaseUntil).toBeUndefined();
    await until('settled hook', async () => script.settled.find((j) => j.id === job.id && j.status === 'succeeded'));
  });

  it('records Failed (final), Skipped, and a retryable failure retried until its attempts are used', async () => {
    const { queue } = await fresh();
    script.ingest = async (p) =>
      p.uploadId === 'final'
        ? JobResult.failed({ code: 'BAD_INPUT', message: '输入无效' })
        : p.uploadId === 'skip'
          ? JobResult.skipped('nothing to do')
          : JobResult.failed({ code: 'FLAKY', message: '暂时失败' }, { retry: true });
    const failed = await queue.enqueue('media.ingest', payload('final'), { maxAttempts: 3 });
    const skipped = await queue.enqueue('media.ingest', payload('skip'), { maxAttempts: 3 });
    const flaky = await queue.enqueue('media.ingest', payload('flaky'), { maxAttempts: 3 });
    expect(await final(queue, failed.id)).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'BAD_INPUT', message: '输入无效' } });
    expect(await final(queue, skipped.id)).toMatchObject({ status: 'skipped', attempts: 1, skipReason: 'nothing to do' });
    expect(await final(queue, flaky.id)).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'FLAKY' } });
    // Every attempt was settled, the two retries as queued.
    expect(script.settled.filter((j) => j.id === flaky.id).map((j) => j.status)).toEqual(['queued', 'queued', 'failed']);
  });

  it('treats a handler that throws as a retryable failure', async () => {
    const { queue } = await fresh();
    let calls = 0;
    script.ingest = async () => {
      if (++calls === 1) throw new Error('boom');
      return ok;
    };
    const job = await queue.enqueue('media.ingest', payload(), { maxAttempts: 2 });
    // The first failure is kept on the record beside the later success.
    expect(await final(queue, job.id)).toMatchObject({ status: 'succeeded', attempts: 2, error: { code: 'JOB_FAILED', details: { error: 'boom' } } });
  });

  it('writes progress and renews the lease while the handler runs', async () => {
    const { queue } = await fresh();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    script.ingest = async (_p, ctx) => {
      expect(await ctx.progress(40, { phase: 'packaging' })).toBe(true);
      await held;
      return ok;
    };
    const job = await queue.enqueue('media.ingest', payload());
    const running = await until('progress 40', async () => {
      const j = await queue.findById('media.ingest', job.id);
      return j?.progress === 40 ? j : undefined;
    });
    expect(running).toMatchObject({ status: 'running', detail: { phase: 'packaging' } });
    const firstLease = running.leaseUntil!.getTime();
    await until('lease renewed', async () => ((await queue.findById('media.ingest', job.id))!.leaseUntil!.getTime() > firstLease ? true : undefined), JOB_RENEW_MS * 3);
    release();
    expect(await final(queue, job.id)).toMatchObject({ status: 'succeeded', progress: 100 });
  });

  it('recovers a job whose holder died: requeued while attempts remain, then given up through the handler', async () => {
    // JOBS_RUN=none: the test plays the dead processes and calls the recovery itself.
    const { queue, store, runner } = await fresh(undefined, { JOBS_RUN: 'none' });
    const job = await queue.enqueue('media.ingest', payload(), { maxAttempts: 2 });
    const dead = (owner: string) => store.claim(['media.ingest'], owner, new Date(), -5_000);
    expect((await dead('dead-1'))!.id).toBe(job.id);
    // A live holder is left alone.
    await runner.recoverStale(['media.ingest'], new Date(Date.now() - JOB_LEASE_MS));
    expect((await queue.findById('media.ingest', job.id))!.status).toBe('running');

    await runner.recoverStale(['media.ingest']);
    expect(await queue.findById('media.ingest', job.id)).toMatchObject({ status: 'queued', attempts: 1, error: { code: 'JOB_INTERRUPTED', message: '处理进程中断，已自动重试' } });

    const abandoned: string[] = [];
    script.abandon = async (j) => {
      abandoned.push(j.id);
      return { code: 'MEDIA_INTERRUPTED', message: '处理进程意外中断' };
    };
    expect((await dead('dead-2'))!.attempts).toBe(2);
    await runner.recoverStale(['media.ingest']);
    expect(abandoned).toEqual([job.id]);
    expect(await queue.findById('media.ingest', job.id)).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'MEDIA_INTERRUPTED' } });
    expect(script.settled.map((j) => [j.id, j.status])).toEqual([
      [job.id, 'queued'],
      [job.id, 'failed'],
    ]);
  });

  it('claims nothing with JOBS_RUN=none, and only the listed jobs otherwise', async () => {
    const { queue, runner } = await fresh([IngestHandler, SweepHandler], { JOBS_RUN: 'none' });
    expect(runner.runs).toEqual([]);
    const job = await queue.enqueue('media.ingest', payload());
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await queue.findById('media.ingest', job.id))!.status).toBe('queued');

    // A process that runs only the sweep leaves the packaging job too; one that runs it takes it.
    const sweeper = await processWith([IngestHandler, SweepHandler], { JOBS_RUN: 'study.sweep' });
    expect(sweeper.get(JobRunner).runs).toEqual(['study.sweep']);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await queue.findById('media.ingest', job.id))!.status).toBe('queued');
    await processWith([IngestHandler, SweepHandler], { JOBS_RUN: 'media.ingest' });
    expect(await final(queue, job.id)).toMatchObject({ status: 'succeeded' });
  });

  it('runs a recurring job once at start, then again and again, never twice at once across processes', async () => {
    script.everyMs = 100;
    let inFlight = 0;
    let overlap = 0;
    let runs = 0;
    script.sweep = async () => {
      if (++inFlight > 1) overlap++;
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      runs++;
      return JobResult.success({ touched: runs });
    };
    // The collection is cleared by a process that runs nothing: clearing under a running sweeper would
    // delete the document its sweep holds, and the next process would start a second one beside it.
    const { ctx } = await fresh([IngestHandler, SweepHandler], { JOBS_RUN: 'none' });
    await processWith([IngestHandler, SweepHandler], { JOBS_RUN: 'study.sweep' });
    await processWith([IngestHandler, SweepHandler], { JOBS_RUN: 'study.sweep' });
    await until('five sweeps', async () => runs >= 5);
    expect(overlap).toBe(0);
    const jobs = ctx.get<Connection>(getConnectionToken()).collection('jobs');
    expect(await jobs.countDocuments({ name: 'study.sweep' })).toBe(1);
    // Read between runs (a sweep may be running at the moment the fifth one ends).
    const waiting = await until('the sweep waiting for its next run', () => jobs.findOne({ name: 'study.sweep', status: 'queued' }).then((d) => d ?? undefined));
    expect(waiting).toMatchObject({ key: 'study.sweep', lastOutcome: 'succeeded', attempts: 0 });
  });

  it('ends a one-off run of a recurring job (enqueued on request) instead of rescheduling it', async () => {
    const { queue } = await fresh();
    const job = await queue.enqueue('study.sweep', {});
    const done = await until('the one-off sweep final', async () => {
      const j = await queue.findById('study.sweep', job.id);
      return j?.status === 'succeeded' ? j : undefined;
    });
    expect(done).toMatchObject({ status: 'succeeded', result: { touched: 0 } });
    expect(done.key).toBeUndefined();
  });

  it('refuses to start when a job it runs has no handler, naming the job', async () => {
    await expect(processWith([IngestHandler])).rejects.toThrow(JobHandlerError);
    await expect(processWith([IngestHandler])).rejects.toThrow(/任务 "study\.sweep" 没有处理器 \(no handler for job "study\.sweep"\)/);
    // Not run here: no handler needed.
    const ctx = await processWith([IngestHandler], { JOBS_RUN: 'media.ingest' });
    expect(ctx.get(JobRunner).runs).toEqual(['media.ingest']);
  });

  it('refuses to start when a job has two handlers, whatever JOBS_RUN says', async () => {
    await expect(processWith([IngestHandler, SecondIngestHandler, SweepHandler], { JOBS_RUN: 'none' })).rejects.toThrow(
      /任务 "media\.ingest" 有 2 个处理器 \(more than one handler\): IngestHandler, SecondIngestHandler/,
    );
  });
});
