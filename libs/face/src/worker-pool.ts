import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FaceEngineBusyError, FaceError, reviveFaceError } from './errors';
import type { AnalyseReply, AnalyseRequest, WorkerConfig, WorkerMessage } from './protocol';
import type { BackendInfo } from './runtime';

export interface PoolOptions {
  size: number;
  /** Jobs allowed to wait for a worker; one more is refused with FaceEngineBusyError. */
  queueLimit: number;
  /** A job running longer than this is treated as a stuck worker: it is killed and replaced. */
  jobTimeoutMs: number;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  wantDescriptor: boolean;
  match?: AnalyseRequest['match'];
  reference?: boolean;
  liveness?: boolean;
  enqueuedAt: number;
  startedAt: number;
  resolve(r: AnalyseReply & { queueMs: number }): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  ready: boolean;
  /** Being terminated after a timeout: takes no new job while it dies. */
  retiring: boolean;
}

export const defaultPoolSize = (): number => Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

/**
 * Fixed set of worker threads fed from one bounded FIFO. The event loop only moves bytes;
 * decoding and inference run in the workers. A crashed or stuck worker fails only its own job
 * and is replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Moving average of job run time, to tell a refused caller when to come back. */
  private avgJobMs = 100;
  private backendInfo: BackendInfo | null = null;

  private constructor(
    private readonly config: WorkerConfig,
    private readonly opts: PoolOptions,
  ) {}

  static async start(config: WorkerConfig, opts: PoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(config, opts);
    try {
      await Promise.all(Array.from({ length: opts.size }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get backend(): BackendInfo {
    if (!this.backendInfo) throw new Error('pool not started');
    return this.backendInfo;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Workers started and serving (a replacement counts once its nets are loaded). */
  get ready(): number {
    return this.slots.filter((s) => s.ready && !s.retiring).length;
  }

  get pending(): number {
    return this.queue.length;
  }

  get running(): number {
    return this.slots.filter((s) => s.job).length;
  }

  analyse(bytes: Uint8Array, wantDescriptor: boolean, match?: AnalyseRequest['match'], reference = false, liveness = false): Promise<AnalyseReply & { queueMs: number }> {
    if (this.closed) return Promise.reject(new FaceError('FACE_ENGINE_CLOSED'));
    if (this.queue.length >= this.opts.queueLimit) return Promise.reject(new FaceEngineBusyError(this.retryAfterSeconds()));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes, wantDescriptor, match, reference, liveness, enqueuedAt: performance.now(), startedAt: 0, resolve, reject });
      this.dispatch();
    });
  }

  /** Time until the work ahead of a new caller has drained, at the observed speed; at least 1 s. */
  retryAfterSeconds(): number {
    const ahead = this.queue.length + this.running;
    return Math.max(1, Math.ceil((ahead * this.avgJobMs) / Math.max(1, this.slots.length) / 1000));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new FaceError('FACE_ENGINE_CLOSED'));
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(new FaceError('FACE_ENGINE_CLOSED'));
        await slot.worker.terminate();
      }),
    );
  }

  private workerEntry(): { file: string; execArgv: string[] } {
    // Same extension as this file: .ts under swc-node/jest, .js from dist/.
    const ext = path.extname(__filename);
    const file = path.join(__dirname, `face-worker${ext}`);
    const execArgv = ext === '.ts' ? ['-r', require.resolve('@swc-node/register')] : [];
    return { file, execArgv };
  }

  private spawn(): Promise<void> {
    const { file, execArgv } = this.workerEntry();
    const worker = new Worker(file, { workerData: this.config, execArgv });
    const slot: Slot = { worker, job: null, timer: null, ready: false, retiring: false };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'ready') {
          slot.ready = true;
          this.backendInfo ??= msg.backend;
          resolve();
          this.dispatch();
        } else if (msg.type === 'init-error') {
          reject(new Error(`face worker failed to start: ${msg.message}`));
        } else {
          this.finish(slot, msg);
        }
      });
      worker.on('error', (err) => {
        if (!slot.ready) reject(err);
        this.replace(slot, err);
      });
      worker.on('exit', (code) => {
        if (!slot.ready) reject(new Error(`face worker exited during start (code ${code})`));
        this.replace(slot, new Error(`face worker exited (code ${code})`));
      });
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.retiring || slot.job) continue;
      const job = this.queue.shift() as Job;
      slot.job = job;
      job.startedAt = performance.now();
      slot.timer = setTimeout(() => {
        job.reject(new FaceError('FACE_ENGINE_FAILED', { reason: 'timeout', timeoutMs: this.opts.jobTimeoutMs }));
        slot.job = null;
        slot.retiring = true;
        void slot.worker.terminate();
      }, this.opts.jobTimeoutMs);
      const msg: AnalyseRequest = { type: 'analyse', id: job.id, bytes: job.bytes, wantDescriptor: job.wantDescriptor, match: job.match, reference: job.reference, liveness: job.liveness };
      // The engine hands over its own copies of the upload and references, so the buffers can move instead of being cloned.
      const transfer = [job.bytes.buffer as ArrayBuffer, ...(job.match ? [job.match.references.buffer as ArrayBuffer] : [])];
      slot.worker.postMessage(msg, transfer);
    }
  }

  private finish(slot: Slot, msg: Extract<WorkerMessage, { type: 'done' | 'failed' }>): void {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    if (job && job.id === msg.id) {
      const ran = performance.now() - job.startedAt;
      this.avgJobMs = this.avgJobMs * 0.9 + ran * 0.1;
      if (msg.type === 'done') job.resolve({ ...msg.result, queueMs: job.startedAt - job.enqueuedAt });
      else job.reject(reviveFaceError(msg.error));
    }
    this.dispatch();
  }

  /** A worker died: fail its job (only that one), start a replacement so capacity recovers. */
  private replace(slot: Slot, cause: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (slot.timer) clearTimeout(slot.timer);
    slot.job?.reject(new FaceError('FACE_ENGINE_FAILED', { reason: 'worker-exit', cause: cause.message }));
    slot.job = null;
    if (!slot.ready || this.closed) return;
    this.spawn().catch(() => {
      // Could not restart (e.g. models deleted underneath us): remaining workers keep serving;
      // with none left, queued jobs are failed rather than left waiting forever.
      if (this.slots.length === 0) for (const job of this.queue.splice(0)) job.reject(new FaceError('FACE_ENGINE_FAILED', { reason: 'no-workers' }));
    });
  }
}
