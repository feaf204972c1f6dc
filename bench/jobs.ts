// npm run bench:jobs [-- --jobs 1000 --rounds 40 --agenda-backend DIR]
//
// The platform's job runner (libs/platform/src/jobs) against agenda 6 on the same embedded database
// (a child process, as `npm run up` runs it), with no-op handlers so the figures are the runner's own:
//   - enqueue → start latency, one job at a time: enqueued in the running process (it wakes at once)
//     and enqueued elsewhere (found by the poll, every 1 s for both);
//   - throughput: N jobs enqueued back to back, from the first enqueue to the last outcome written,
//     one job at a time per process (as media.ingest runs) and four at a time.
// agenda 6 keeps its MongoDB backend in a separate package, @agendajs/mongo-backend, which
// package.json does not carry: pass `--agenda-backend DIR` (a directory whose node_modules resolve
// it, e.g. from `npm pack`) or agenda's figures are reported as not measured, with that reason.
// The last line printed is one JSON object with every figure.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongoClient } from 'mongodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnServer } from '@app/embedded-mongo';
import { JobHandler, JobHandlerOf, JobQueue, JobRecord, JobResult, JobsModule, JobStore, loadConfig, PlatformModule, withDbName } from '@app/platform';
import { percentile } from './support/load';

interface Args {
  jobs: number;
  rounds: number;
  agendaBackend?: string;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i < 0 ? undefined : argv[i + 1];
  };
  const int = (flag: string, dflt: number) => {
    const v = value(flag);
    const n = v === undefined ? dflt : Number(v);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`${flag} 需要正整数 (expects a positive integer)`);
      process.exit(2);
    }
    return n;
  };
  return { jobs: int('--jobs', 1000), rounds: int('--rounds', 40), agendaBackend: value('--agenda-backend') };
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
}
interface RunnerFigures {
  localLatencyMs: Latency;
  remoteLatencyMs: Latency;
  throughput: { concurrency: number; jobs: number; seconds: number; perSecond: number }[];
}

const lat = (xs: number[]): Latency => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1]) };
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Per-test hooks the bench handler calls; a job's id in the payload says which wait to resolve. */
class Waits {
  private readonly started = new Map<string, () => void>();
  private readonly done = new Map<string, () => void>();
  private countdown?: { left: number; resolve: () => void };
  startOf(tag: string): Promise<void> {
    return new Promise((r) => this.started.set(tag, r));
  }
  doneOf(tag: string): Promise<void> {
    return new Promise((r) => this.done.set(tag, r));
  }
  expect(n: number): Promise<void> {
    return new Promise((resolve) => (this.countdown = { left: n, resolve }));
  }
  onStart(tag: string): void {
    this.started.get(tag)?.();
    this.started.delete(tag);
  }
  onDone(tag: string): void {
    this.done.get(tag)?.();
    this.done.delete(tag);
    if (this.countdown && --this.countdown.left === 0) this.countdown.resolve();
  }
}

/** `jitter`: wait a random part of the poll interval first, so enqueues do not line up just after a poll. */
async function sequentialLatency(rounds: number, waits: Waits, enqueue: (tag: string) => Promise<unknown>, jitter = false): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (jitter) await new Promise((r) => setTimeout(r, Math.random() * 1000));
    const tag = `l${i}-${Math.random()}`;
    const started = waits.startOf(tag);
    const done = waits.doneOf(tag);
    const t0 = performance.now();
    await enqueue(tag);
    await started;
    out.push(performance.now() - t0);
    await done;
  }
  return out;
}

async function throughput(n: number, concurrency: number, waits: Waits, enqueue: (tag: string) => Promise<unknown>) {
  const all = waits.expect(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await enqueue(`t${i}`);
  await all;
  const seconds = (performance.now() - t0) / 1000;
  return { concurrency, jobs: n, seconds: round(seconds), perSecond: round(n / seconds, 1) };
}

async function benchOwn(uri: string, dataDir: string, args: Args): Promise<RunnerFigures> {
  const figures: RunnerFigures = { localLatencyMs: lat([0]), remoteLatencyMs: lat([0]), throughput: [] };
  for (const concurrency of [1, 4]) {
    const waits = new Waits();
    // The union admits only the platform's job names: the bench borrows media.ingest's, with a no-op handler.
    @JobHandler('media.ingest', { concurrency })
    class BenchHandler implements JobHandlerOf<'media.ingest'> {
      async run(payload: { uploadId: string }) {
        waits.onStart(payload.uploadId);
        return JobResult.success({ renditionId: '-', durationSeconds: 0, sourceSha256: '-' });
      }
      settled(job: JobRecord<'media.ingest'>) {
        waits.onDone(job.payload.uploadId);
      }
    }
    const config = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: withDbName(uri, `bench_own_${concurrency}`),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'never',
      JOBS_RUN: 'media.ingest',
    });
    @Module({ imports: [PlatformModule.forRoot(config), JobsModule], providers: [BenchHandler] })
    class BenchModule {}
    const ctx = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
    try {
      const queue = ctx.get(JobQueue);
      const store = ctx.get(JobStore);
      const job = (tag: string) => ({ lessonId: 'bench', uploadPath: '-', uploadId: tag });
      if (concurrency === 1) {
        // Warm-up: connection pool, indexes, JIT.
        await sequentialLatency(5, waits, (tag) => queue.enqueue('media.ingest', job(tag)));
        figures.localLatencyMs = lat(await sequentialLatency(args.rounds, waits, (tag) => queue.enqueue('media.ingest', job(tag))));
        // Written straight to the store: as another process's enqueue, this runner learns of it only by polling.
        figures.remoteLatencyMs = lat(await sequentialLatency(Math.min(args.rounds, 20), waits, (tag) => store.enqueue('media.ingest', job(tag)), true));
      }
      figures.throughput.push(await throughput(args.jobs, concurrency, waits, (tag) => queue.enqueue('media.ingest', job(tag))));
    } finally {
      await ctx.close();
    }
  }
  return figures;
}

type AgendaResult = { measured: true; figures: RunnerFigures; version: string } | { measured: false; reason: string };

async function benchAgenda(uri: string, args: Args): Promise<AgendaResult> {
  // agenda and its backend are ESM-only; Node 20 loads them through require(esm).
  const req = createRequire(args.agendaBackend ? join(args.agendaBackend, 'bench.js') : __filename);
  let agendaLib: typeof import('agenda');
  let MongoBackend: new (config: { mongo: unknown; ensureIndex?: boolean }) => unknown;
  try {
    agendaLib = req('agenda');
    MongoBackend = req('@agendajs/mongo-backend').MongoBackend;
  } catch (e) {
    return { measured: false, reason: `agenda 6 needs @agendajs/mongo-backend, not installed (${(e as Error).message.split('\n')[0]}); pass --agenda-backend DIR` };
  }
  // The package's exports hide package.json; its version sits beside dist/.
  const version = (JSON.parse(readFileSync(join(dirname(req.resolve('agenda')), '..', 'package.json'), 'utf8')) as { version: string }).version;
  const figures: RunnerFigures = { localLatencyMs: lat([0]), remoteLatencyMs: lat([0]), throughput: [] };
  for (const concurrency of [1, 4]) {
    const client = await MongoClient.connect(uri);
    const db = client.db(`bench_agenda_${concurrency}`);
    const waits = new Waits();
    const agenda = new agendaLib.Agenda({
      backend: new MongoBackend({ mongo: db }) as never,
      processEvery: 1000,
      defaultConcurrency: concurrency,
      maxConcurrency: concurrency,
      // In-process notifications: a job saved by this process starts at once, as the platform's runner's does.
      notificationChannel: new agendaLib.InMemoryNotificationChannel(),
    });
    // A second instance that only enqueues: "another process", found by the 1 s poll.
    const other = new agendaLib.Agenda({ backend: new MongoBackend({ mongo: db, ensureIndex: false }) as never, processEvery: 1000 });
    try {
      agenda.define('bench', async (job: { attrs: { data: { tag: string } } }) => waits.onStart(job.attrs.data.tag), { concurrency });
      agenda.on('complete:bench' as 'complete', ((job: { attrs: { data: { tag: string } } }) => waits.onDone(job.attrs.data.tag)) as never);
      await agenda.start();
      await other.ready;
      if (concurrency === 1) {
        await sequentialLatency(5, waits, (tag) => agenda.now('bench', { tag }));
        figures.localLatencyMs = lat(await sequentialLatency(args.rounds, waits, (tag) => agenda.now('bench', { tag })));
        figures.remoteLatencyMs = lat(await sequentialLatency(Math.min(args.rounds, 20), waits, (tag) => other.now('bench', { tag }), true));
      }
      figures.throughput.push(await throughput(args.jobs, concurrency, waits, (tag) => agenda.now('bench', { tag })));
    } catch (e) {
      return { measured: false, reason: `agenda failed against the embedded database: ${(e as Error).message}` };
    } finally {
      await agenda.stop().catch(() => undefined);
      await client.close();
    }
  }
  return { measured: true, figures, version };
}

function print(name: string, f: RunnerFigures): void {
  const l = (x: Latency) => `p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms`;
  console.log(`\n[${name}]`);
  console.log(`  enqueue → start, same process:    ${l(f.localLatencyMs)}`);
  console.log(`  enqueue → start, another process: ${l(f.remoteLatencyMs)}`);
  for (const t of f.throughput) console.log(`  throughput, ${t.concurrency} at a time: ${t.jobs} jobs in ${t.seconds} s = ${t.perSecond} jobs/s`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), 'bench-jobs-'));
  const server = await spawnServer({ dbPath: join(dir, 'db'), port: 0, host: '127.0.0.1' });
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`bench:jobs — embedded database (child process), ${args.jobs} jobs, ${args.rounds} latency rounds; load average ${load()}`);
  try {
    const own = await benchOwn(server.uri, dir, args);
    print('platform job runner (libs/platform)', own);
    const agenda = await benchAgenda(server.uri, args);
    if (agenda.measured) print(`agenda ${agenda.version} + @agendajs/mongo-backend`, agenda.figures);
    else console.log(`\n[agenda] not measured: ${agenda.reason}`);
    console.log(`\nload average at end: ${load()}`);
    console.log(JSON.stringify({ bench: 'jobs', jobs: args.jobs, rounds: args.rounds, platform: own, agenda: agenda.measured ? { version: agenda.version, ...agenda.figures } : { notMeasured: agenda.reason }, loadAverageEnd: loadavg()[0] }));
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error('bench:jobs 失败 (failed):', e);
    process.exit(1);
  },
);
