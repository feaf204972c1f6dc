import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../config/env';
import { AppConfigToken } from '../config/config.module';
import { JOB_NAMES, JobName } from './job-names';
import type { JobContext, JobFailure, JobHandlerOf, JobOutcome, JobRecord } from './job';
import { jobHandlerMetadata } from './job-handler.decorator';
import { JobQueue } from './job-queue';
import { JobStore } from './job-store';

/** A job's holder renews its lease this often; a lease not renewed for JOB_LEASE_MS means the holder died. */
export const JOB_RENEW_MS = 2_000;
export const JOB_LEASE_MS = 20_000;
/** Other processes' new jobs are found this often (this process's own are started at once). */
export const JOB_POLL_MS = 1_000;

const INTERRUPTED: JobFailure = { code: 'JOB_INTERRUPTED', message: '处理进程中断，已自动重试' };
const GAVE_UP: JobFailure = { code: 'JOB_INTERRUPTED', message: '处理进程多次中断，任务未完成' };

/** Start-up refused: the message names the job and what is wrong with its handlers. */
export class JobHandlerError extends Error {}

interface Registered {
  readonly handler: JobHandlerOf<JobName>;
  readonly concurrency: number;
  readonly className: string;
}

/**
 * Runs the jobs this process is switched on for (`JOBS_RUN`): claims due jobs by lease, renews the
 * lease while a handler runs, writes its outcome, recovers jobs whose holder's lease ran out, and
 * keeps each recurring job's single document rescheduled. Handlers are found by `@JobHandler`.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly handlers = new Map<JobName, Registered>();
  private readonly running = new Map<string, { name: JobName; abort: AbortController; done: Promise<void> }>();
  private enabled: readonly JobName[] = [];
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastRecovery = 0;
  private unsubscribe?: () => void;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly store: JobStore,
    private readonly queue: JobQueue,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  /** The jobs this process claims. */
  get runs(): readonly JobName[] {
    return this.enabled;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.register();
    this.enabled = this.config.jobs.run;
    if (this.enabled.length === 0) {
      this.logger.log('本进程不运行后台任务 (JOBS_RUN=none)');
      return;
    }
    const now = new Date();
    for (const name of this.enabled) if (this.handlers.get(name)!.handler.everyMs) await this.store.ensureRecurring(name, now, true);
    this.logger.log(`本进程运行后台任务 (jobs run here): ${this.enabled.join(', ')}`);
    this.unsubscribe = this.queue.onEnqueued((name) => this.enabled.includes(name) && this.wake());
    this.timer = setInterval(() => this.wake(), JOB_POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    for (const r of this.running.values()) r.abort.abort();
    await this.draining;
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Look for work now. */
  wake(): void {
    if (this.stopped || this.enabled.length === 0) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((e: unknown) => this.logger.error(`任务循环出错 (job loop error): ${(e as Error).message}`))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /**
   * Jobs among `names` (default: those this process runs) whose holder's lease ran out: requeued
   * while attempts remain (a recurring job always), otherwise given up through the handler's
   * `abandon` and failed — never left running. Every poll does this at most every half lease.
   */
  async recoverStale(names: readonly JobName[] = this.enabled, now = new Date()): Promise<void> {
    for (;;) {
      const job = await this.store.takeStale(names, this.owner, now, JOB_LEASE_MS);
      if (!job) return;
      const reg = this.handlers.get(job.name);
      if (job.key || job.attempts < job.maxAttempts) {
        const again = await this.store.requeueStale(job, this.owner, INTERRUPTED, now);
        this.logger.warn(`任务 ${job.name} ${job.id} 的处理进程已中断，重新排队 (requeued)`);
        if (again) await this.notify(reg, again);
        continue;
      }
      this.logger.warn(`任务 ${job.name} ${job.id} 多次中断，标记为失败 (failed)`);
      const failure = (await reg?.handler.abandon?.(job)) ?? GAVE_UP;
      const failed = await this.store.failStale(job, this.owner, failure, now);
      if (failed) await this.notify(reg, failed);
    }
  }

  /** Discovers the handlers and refuses to start on a job with none (when enabled) or with two. */
  private register(): void {
    const found = new Map<string, Registered[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const meta = jobHandlerMetadata(wrapper.metatype);
      if (!meta || !wrapper.instance) continue;
      const list = found.get(meta.name) ?? [];
      list.push({ handler: wrapper.instance as JobHandlerOf<JobName>, concurrency: meta.concurrency, className: (wrapper.metatype as { name: string }).name });
      found.set(meta.name, list);
    }
    const problems: string[] = [];
    for (const [name, list] of found) {
      if (!(JOB_NAMES as readonly string[]).includes(name)) problems.push(`未知任务 "${name}" 有处理器 ${list.map((r) => r.className).join(', ')} (a handler for a job that is not in JOB_NAMES)`);
      else if (list.length > 1) problems.push(`任务 "${name}" 有 ${list.length} 个处理器 (more than one handler): ${list.map((r) => r.className).join(', ')}`);
      else this.handlers.set(name as JobName, list[0]);
    }
    for (const name of this.config.jobs.run) {
      if (!found.has(name)) problems.push(`任务 "${name}" 没有处理器 (no handler for job "${name}"): 本进程按 JOBS_RUN 运行它，但没有模块注册 @JobHandler('${name}')`);
    }
    if (problems.length > 0) throw new JobHandlerError(`后台任务配置错误，无法启动 (job handlers): ${problems.join('; ')}`);
  }

  private async drain(): Promise<void> {
    if (Date.now() - this.lastRecovery > JOB_LEASE_MS / 2) {
      this.lastRecovery = Date.now();
      await this.recoverStale();
    }
    while (!this.stopped) {
      const free = this.enabled.filter((n) => this.busy(n) < this.handlers.get(n)!.concurrency);
      if (free.length === 0) return;
      const job = await this.store.claim(free, this.owner, new Date(), JOB_LEASE_MS);
      if (!job) return;
      this.start(job);
    }
  }

  private busy(name: JobName): number {
    let n = 0;
    for (const r of this.running.values()) if (r.name === name) n++;
    return n;
  }

  private start(job: JobRecord): void {
    const abort = new AbortController();
    const done = this.execute(job, abort.signal)
      .catch((e: unknown) => this.logger.error(`任务 ${job.name} ${job.id} 结果未能写入 (outcome not written): ${(e as Error).message}`))
      .finally(() => {
        this.running.delete(job.id);
        // A lane is free again.
        this.wake();
      });
    this.running.set(job.id, { name: job.name, abort, done });
  }

  private async execute(job: JobRecord, signal: AbortSignal): Promise<void> {
    const reg = this.handlers.get(job.name)!;
    let lost = false;
    const renew = async (progress?: { percent: number; detail?: Record<string, unknown> }) => {
      const ok = await this.store.renew(job.id, this.owner, new Date(), JOB_LEASE_MS, progress);
      if (!ok && !lost) {
        lost = true;
        this.logger.warn(`任务 ${job.name} ${job.id} 已不属于本进程 (lease lost)`);
      }
      return ok;
    };
    const lease = setInterval(() => void renew().catch(() => undefined), JOB_RENEW_MS);
    const ctx: JobContext = { job, signal, progress: (percent, detail) => renew({ percent, detail }) };
    let outcome: JobOutcome;
    try {
      outcome = await reg.handler.run(job.payload as never, ctx as never);
    } catch (e) {
      const message = (e as Error).message;
      this.logger.error(`任务 ${job.name} ${job.id} 出错 (attempt ${job.attempts}/${job.maxAttempts}): ${message}`);
      outcome = { status: 'failed', error: { code: 'JOB_FAILED', message: '任务执行出错', details: { error: message } }, retry: true };
    } finally {
      clearInterval(lease);
    }
    const now = new Date();
    // Only the recurring document is rescheduled: a one-off run of a recurring job's handler (an on-request refresh) ends.
    const every = job.key ? reg.handler.everyMs?.() : undefined;
    const settled = await this.store.settle(job, this.owner, outcome, now, every === undefined ? undefined : new Date(now.getTime() + every));
    if (settled) await this.notify(reg, settled);
  }

  private async notify(reg: Registered | undefined, job: JobRecord): Promise<void> {
    try {
      await reg?.handler.settled?.(job);
    } catch (e) {
      this.logger.warn(`任务 ${job.name} ${job.id} 的 settled 回调出错: ${(e as Error).message}`);
    }
  }
}
