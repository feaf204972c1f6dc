/**
 * Drives a fleet of simulated trainees against one target (the API or the echo ceiling): a ramp
 * that admits trainees with bounded concurrency (the API's session-start face checks go through
 * the engine, which answers "busy" beyond its queue), then a steady window in which every started
 * trainee is heartbeating, measured for CPU of the target's processes, latency and throughput,
 * then an orderly stop (heartbeats stop, in-flight acks drain, sessions close).
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { LoadStats, SimTrainee, Tally } from './study-trainee';
import { CpuMeter, pool, RssSampler } from './study-stats';

export interface LoadPlan {
  name: string;
  baseUrl: string;
  tokens: readonly string[];
  lessonId: string;
  capture: Uint8Array;
  expectStartCheck: boolean;
  /** Trainees starting (connect, open, start check) at once. */
  startConcurrency: number;
  /** Upper bound on starts per second (the echo ramp spreads heartbeat phases like the API's slower ramp does). */
  startRatePerSec: number;
  /** The ramp gives up admitting after this long; the rest are reported as not started. */
  maxRampSeconds: number;
  steadySeconds: number;
  heartbeatSeconds: number;
  /** Processes whose CPU and RSS are the target's cost. */
  pids: readonly number[];
  log(line: string): void;
}

export interface PhaseCpu {
  seconds: number;
  /** CPU seconds per pid. */
  cpu: Map<number, number>;
}

export interface LoadResult {
  stats: LoadStats;
  sims: SimTrainee[];
  rampSeconds: number;
  started: number;
  failures: Tally;
  rampCpu: PhaseCpu;
  steadyFrom: number;
  steadyTo: number;
  steadyCpu: PhaseCpu;
  rssPeak: Map<number, number>;
  /** The bench process's own event-loop delay p99 in the steady window (ms): a busy client inflates latency. */
  clientLoopP99Ms: number;
  closeSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(plan: LoadPlan, stopping: () => boolean): Promise<LoadResult> {
  const stats = new LoadStats();
  const sims = plan.tokens.map(
    (token) => new SimTrainee({ baseUrl: plan.baseUrl, token, lessonId: plan.lessonId, capture: plan.capture, stats, expectStartCheck: plan.expectStartCheck }),
  );
  const failures = new Tally();
  const rampStart = performance.now();
  const rampMeter = new CpuMeter(plan.pids);
  const rampDeadline = rampStart + plan.maxRampSeconds * 1000;
  let admitted = 0;
  let started = 0;
  const progress = setInterval(() => {
    plan.log(`  ${plan.name}: ramp ${started}/${sims.length} playing, ${failures.size ? `failed: ${failures.text()}, ` : ''}${((performance.now() - rampStart) / 1000).toFixed(0)} s`);
  }, 15_000);
  try {
    await pool(sims, plan.startConcurrency, async (sim) => {
      if (stopping() || performance.now() > rampDeadline) {
        failures.bump('not admitted (ramp time limit)');
        return;
      }
      // Pace starts: trainee i may not start before rampStart + i / rate.
      const due = rampStart + (admitted++ * 1000) / plan.startRatePerSec;
      if (due > performance.now()) await sleep(due - performance.now());
      try {
        await sim.start();
        started++;
      } catch (e) {
        failures.bump((e as Error).message.replace(/[0-9a-f]{24}/g, '…').slice(0, 120));
        sim.disconnect();
      }
    });
  } finally {
    clearInterval(progress);
  }
  const rampEnd = performance.now();
  const rampCpu = { seconds: (rampEnd - rampStart) / 1000, cpu: rampMeter.read() };
  plan.log(`  ${plan.name}: ramp done in ${((rampEnd - rampStart) / 1000).toFixed(1)} s — ${started} playing${failures.size ? `; not started: ${failures.text()}` : ''}`);

  // One heartbeat period after the last start every playing trainee is on its cadence.
  await sleep(plan.heartbeatSeconds * 1000);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const steadyFrom = performance.now();
  const meter = new CpuMeter(plan.pids);
  const rss = new RssSampler(plan.pids);
  plan.log(`  ${plan.name}: steady window of ${plan.steadySeconds} s started`);
  const steadyEnd = steadyFrom + plan.steadySeconds * 1000;
  while (performance.now() < steadyEnd && !stopping()) await sleep(Math.min(1000, steadyEnd - performance.now()));
  const steadyTo = performance.now();
  const steadyCpu = { seconds: (steadyTo - steadyFrom) / 1000, cpu: meter.read() };
  rss.stop();
  loop.disable();

  for (const sim of sims) sim.stopHeartbeats();
  const drainUntil = performance.now() + 35_000;
  while (stats.inFlight > 0 && performance.now() < drainUntil) await sleep(100);
  const closeStart = performance.now();
  await pool(
    sims.filter((s) => s.view),
    32,
    async (s) => s.close(),
  );
  const closeSeconds = (performance.now() - closeStart) / 1000;
  for (const sim of sims) sim.disconnect();
  return {
    stats,
    sims,
    rampSeconds: (rampEnd - rampStart) / 1000,
    started,
    failures,
    rampCpu,
    steadyFrom,
    steadyTo,
    steadyCpu,
    rssPeak: rss.peak,
    clientLoopP99Ms: loop.percentile(99) / 1e6,
    closeSeconds,
  };
}

export interface EchoServer {
  child: ChildProcess;
  baseUrl: string;
  stop(): Promise<void>;
}

/** The ceiling as its own process, like the API, so both are measured the same way from outside. */
export async function startEchoServer(port: number, heartbeatSeconds: number, ackTemplate: unknown): Promise<EchoServer> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'study-echo-server.ts')], {
    cwd: path.resolve(__dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), ECHO_HEARTBEAT_SECONDS: String(heartbeatSeconds), ECHO_ACK_TEMPLATE: JSON.stringify(ackTemplate) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`echo server did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (/listening \d+/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`echo server exited ${code}:\n${out}`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
