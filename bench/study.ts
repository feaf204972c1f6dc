/**
 * npm run bench:study -- --trainees N --seconds S [--heartbeat 15] [--start-concurrency 8]
 *   [--face-interval MIN-MAX] [--face-window 60] [--prompt-interval MIN-MAX] [--prompt-window 60]
 *   [--max-ramp SECONDS] [--echo-only] [--cpu-prof DIR]
 *
 * N simulated trainees study one lesson over socket.io on loopback against a real API process
 * (fresh data directory, embedded database unless MONGODB_URI is set), then the same load against
 * a bare socket.io echo server — the ceiling. Each phase: a ramp (the API's session-start face
 * checks go through the real face engine with fixture photos), then a steady window of S seconds
 * in which every trainee heartbeats; CPU (from /proc, the API and its embedded database child),
 * latency and throughput are taken over that window only. At the end every session is closed and
 * the hour ledger is compared with what the trainees played (see support/study-drift.ts).
 * Only 127.0.0.1; bounded in trainees and time; everything started is stopped, also on Ctrl-C.
 *
 * Exit code 1 when a target is missed: p99 heartbeat ack ≤ 50 ms, drift 0, the API process's CPU per
 * heartbeat ≤ 5× the echo's (the embedded database's is printed beside it: with MONGODB_URI it is
 * another machine's).
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { systemScope } from '@app/identity';
import type { HeartbeatAck } from '../libs/study/src/protocol/study-protocol';
import { call } from '../tests/support/auth-client';
import { freePort } from '../tests/support/process';
import { driftReport, TraineeCredit } from './support/study-drift';
import { SYNTHETIC_ACK } from './support/study-echo-server';
import { LoadResult, runLoad, startEchoServer } from './support/study-load';
import { captureImage, setUpStudy, StudyFixture } from './support/study-setup';
import { fmtMs, mib, summarise } from './support/study-stats';

// Node's own parser: unknown flags are an error, not silently ignored.
const STRING_FLAGS = ['trainees', 'seconds', 'heartbeat', 'start-concurrency', 'max-ramp', 'face-interval', 'prompt-interval', 'face-window', 'prompt-window', 'cpu-prof'];
const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    ...Object.fromEntries(STRING_FLAGS.map((k) => [k, { type: 'string' }] as const)),
    'echo-only': { type: 'boolean' },
  },
}) as { values: Record<string, string | boolean | undefined> };
const int = (name: string, dflt: number, min: number, max: number): number => {
  const v = args[name] === undefined ? dflt : Number(args[name]);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
  return v;
};
const range = (name: string): [number, number] | undefined => {
  const v = args[name];
  if (v === undefined) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(String(v));
  if (!m) throw new Error(`--${name} must be SECONDS or MIN-MAX`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
};

const N = int('trainees', 50, 1, 20_000);
const CPU_PROF_DIR = typeof args['cpu-prof'] === 'string' ? path.resolve(args['cpu-prof']) : undefined;
const S = int('seconds', 60, 10, 3600);
const HB = int('heartbeat', 15, 1, 300);
const START_CONCURRENCY = int('start-concurrency', 8, 1, 256);
const MAX_RAMP = int('max-ramp', Math.ceil(N / 5) + 120, 10, 7200);
// Random face checks are off by default (once a day): the steady window then measures heartbeats,
// and the engine's check rate is what the ramp's N session-start checks show.
const FACE_INTERVAL = range('face-interval') ?? [86_400, 86_400];
const PROMPT_INTERVAL = range('prompt-interval');
const FACE_WINDOW = int('face-window', 60, 5, 600);
const PROMPT_WINDOW = int('prompt-window', 60, 5, 600);
const ECHO_ONLY = args['echo-only'] === true;
const TARGET = { p99Ms: 50, drift: 0, cpuRatio: 5 };

const log = (line: string) => console.log(line);
const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => console.error('cleanup:', e));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping everything this run started…`);
    void cleanup().finally(() => process.exit(130));
  });
}

function openFileLimit(): { soft: number; hard: number } {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  const n = (s?: string) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

const loadAvg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/**
 * CPU per heartbeat of the serving process (the first pid: the API, or the echo server) — the
 * issue's "API process CPU" — and of everything measured, its database child included.
 */
function cpuLine(r: LoadResult, pids: Array<[string, number]>, heartbeats: number): { perHb: number; totalPerHb: number; text: string } {
  const total = [...r.steadyCpu.cpu.values()].reduce((a, b) => a + b, 0);
  const own = r.steadyCpu.cpu.get(pids[0][1]) ?? 0;
  const parts = pids.map(([name, pid]) => `${name} ${(r.steadyCpu.cpu.get(pid) ?? 0).toFixed(2)}`).join(' + ');
  const per = (cpu: number) => (heartbeats ? cpu / heartbeats : NaN);
  const µs = (cpu: number) => `${(per(cpu) * 1e6).toFixed(0)} µs`;
  return {
    perHb: per(own),
    totalPerHb: per(total),
    text:
      `CPU ${total.toFixed(2)} s (${parts}) = ${((total / r.steadyCpu.seconds) * 100).toFixed(0)}% of a core → ${µs(own)} per heartbeat in the ${pids[0][0]} process` +
      (pids.length > 1 ? `, ${µs(total)} with ${pids.slice(1).map(([n]) => n).join(' + ')}` : ''),
  };
}

interface PhaseFigures {
  acceptedPerSec: number;
  p50: number;
  p99: number;
  cpuPerHb: number;
  totalCpuPerHb: number;
  ackBytes: number;
}

function steadyFigures(name: string, r: LoadResult, pids: Array<[string, number]>): PhaseFigures {
  const { stats } = r;
  const acked = stats.accepted.window(r.steadyFrom, r.steadyTo).length;
  const lat = summarise(stats.heartbeatMs.window(r.steadyFrom, r.steadyTo));
  const cpu = cpuLine(r, pids, acked);
  const bytes = summarise(stats.ackSamples.map((a) => Buffer.byteLength(a))).p50;
  log(`  steady window ${r.steadyCpu.seconds.toFixed(0)} s, ${r.started} trainees heartbeating every ${HB} s:`);
  log(`    accepted heartbeats ${acked} → ${(acked / r.steadyCpu.seconds).toFixed(1)}/s (offered ≈ ${(r.started / HB).toFixed(1)}/s); ack p50 ${fmtMs(lat.p50)} ms, p99 ${fmtMs(lat.p99)} ms, max ${fmtMs(lat.max)} ms (${lat.count} sent in the window)`);
  log(`    ${cpu.text}`);
  log(`    peak RSS ${pids.map(([n, pid]) => `${n} ${mib(r.rssPeak.get(pid) ?? 0)}`).join(', ')}; ack size p50 ${bytes} B; bench client event-loop delay p99 ${fmtMs(r.clientLoopP99Ms)} ms`);
  const promptsInWindow = stats.promptMs.window(r.steadyFrom, r.steadyTo);
  const capturesInWindow = stats.captureMs.window(r.steadyFrom, r.steadyTo);
  if (promptsInWindow.length || capturesInWindow.length) {
    log(`    in the window also: ${capturesInWindow.length} face captures, ${promptsInWindow.length} prompt answers (p99 ${fmtMs(summarise(promptsInWindow).p99)} ms)`);
  }
  const refusedInWindow = [...stats.refusalsAt.entries()].map(([code, rec]) => {
    const w = rec.window(r.steadyFrom, r.steadyTo);
    return `${code} ${w.reduce((a, b) => a + b, 0)}s/${w.length}×`;
  });
  log(`    refusals in the window (code: seconds/times): ${refusedInWindow.join(', ') || 'none'}`);
  if (stats.notAccepted.size) log(`    heartbeats not accepted: ${stats.notAccepted.text()}`);
  if (stats.errors.size) log(`    errors: ${stats.errors.text()}`);
  if (stats.ended.size) log(`    sessions ended by the server: ${stats.ended.text()}`);
  log(`  stop: sessions closed in ${r.closeSeconds.toFixed(1)} s; load average ${loadAvg()}`);
  void name;
  return { acceptedPerSec: acked / r.steadyCpu.seconds, p50: lat.p50, p99: lat.p99, cpuPerHb: cpu.perHb, totalCpuPerHb: cpu.totalPerHb, ackBytes: bytes };
}

async function apiPhase(fx: StudyFixture, capture: Uint8Array): Promise<{ figures: PhaseFigures; drift: number; driftOk: boolean; faceChecks: number; ackTemplate?: HeartbeatAck }> {
  const { childrenOf } = await import('./support/study-stats');
  const pids: Array<[string, number]> = [['API', fx.apiPid], ...childrenOf(fx.apiPid).map((pid) => ['embedded DB', pid] as [string, number])];
  log(`\n== API (real gateway): ${fx.trainees.length} trainees, lesson ${(fx.lessonDuration / 60).toFixed(1)} min, processes measured: ${pids.map(([n, p]) => `${n} pid ${p}`).join(', ')} ==`);
  const r = await runLoad(
    {
      name: 'API',
      baseUrl: fx.api.baseUrl,
      tokens: fx.trainees.map((t) => t.token),
      lessonId: fx.lessonId,
      capture,
      expectStartCheck: true,
      startConcurrency: START_CONCURRENCY,
      startRatePerSec: 1000,
      maxRampSeconds: MAX_RAMP,
      steadySeconds: S,
      heartbeatSeconds: HB,
      pids: pids.map(([, p]) => p),
      log,
    },
    () => cleaning !== undefined,
  );
  const { stats } = r;
  const caps = summarise(stats.captureMs.window());
  const verdicts = [...stats.captureOutcomes.values()].reduce((a, b) => a + b, 0);
  const rampCpu = [...r.rampCpu.cpu.values()].reduce((a, b) => a + b, 0);
  log(`  face-check phase (ramp): ${r.rampSeconds.toFixed(1)} s, ${r.started}/${fx.trainees.length} trainees passed their session-start check → ${(r.started / r.rampSeconds).toFixed(1)} checks/s`);
  log(`    captures verified by the engine ${verdicts} (${stats.captureOutcomes.text()}); capture ack p50 ${fmtMs(caps.p50)} ms, p99 ${fmtMs(caps.p99)} ms; open ack p99 ${fmtMs(summarise(stats.openMs.window()).p99)} ms`);
  log(`    API CPU during the ramp ${rampCpu.toFixed(1)} s = ${((rampCpu / r.rampSeconds) * 100).toFixed(0)}% of a core${r.failures.size ? `; not started: ${r.failures.text()}` : ''}`);
  const figures = steadyFigures('API', r, pids);
  log(`    prompts answered: ${stats.promptOutcomes.text()}; refusals over the whole run (code: seconds/times): ${[...stats.refusalSeconds.entries()].map(([k, v]) => `${k} ${v}s/${stats.refusalCount.get(k)}×`).join(', ') || 'none'}`);

  // Drift: the ledger after close, against the acks and the wall time played.
  const ledger = new Map((await fx.ledger.totalsByTrainee(systemScope('压测核对：学时账本与学员实际播放对比'), fx.programId)).map((t) => [t.traineeId, t.bySource.online]));
  const rows: TraineeCredit[] = fx.trainees.map((t, i) => ({
    traineeId: t.traineeId,
    started: r.sims[i].playStartedAt !== undefined,
    ackCredited: r.sims[i].ackCredited,
    lastAcceptedPosition: r.sims[i].lastAcceptedPosition,
    ledgerSeconds: ledger.get(t.traineeId) ?? 0,
    closeSettled: r.sims[i].closed?.settledSeconds,
  }));
  const d = driftReport(rows, fx.lessonDuration);
  const settled = r.sims.reduce((a, s) => a + (s.closed?.settledSeconds ?? 0), 0);
  const voided = r.sims.reduce((a, s) => a + (s.closed?.voidedSeconds ?? 0), 0);
  log(`  credit: expected ${d.expected} s (Σ whole seconds played up to each trainee's last accepted heartbeat), acks Σ credited ${d.ackCredited} s, ledger ${d.ledger} s (close acks: settled ${settled} s, voided ${voided} s)`);
  log(`    drift (ledger − expected) ${d.drift} s; ack − expected ${d.ackMinusExpected} s; ledger − ack ${d.ledgerMinusAck} s; trainees off: ${d.off}/${d.trainees}`);
  for (const w of d.worst) log(`    e.g. trainee ${w.traineeId}: played ${w.lastAcceptedPosition.toFixed(1)} s → expected ${w.expected}, acks ${w.ackCredited}, close settled ${w.closeSettled ?? '—'}, ledger ${w.ledgerSeconds}`);

  // The progress endpoint must tell a trainee the same as the ledger.
  const sample = fx.trainees.slice(0, 20);
  let agree = 0;
  let endpoint = 'ok';
  for (const t of sample) {
    const res = await call(fx.api.baseUrl, 'GET', '/api/v1/study/me/progress', { token: t.token });
    if (res.status !== 200) {
      endpoint = `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`;
      break;
    }
    const lesson = (res.body.programs ?? []).flatMap((p: { courses: Array<{ lessons: Array<{ lessonId: string; creditedSeconds: number }> }> }) => p.courses.flatMap((c) => c.lessons)).find((l: { lessonId: string }) => l.lessonId === fx.lessonId);
    if ((lesson?.creditedSeconds ?? 0) === (ledger.get(t.traineeId) ?? 0)) agree++;
  }
  log(`    GET /study/me/progress for ${sample.length} trainees: ${endpoint === 'ok' ? `${agree}/${sample.length} agree with the ledger` : endpoint}`);
  // Offsetting errors must not pass as 0: every trainee's three figures must agree, and the endpoint with the ledger.
  const driftOk = d.off === 0 && d.drift === 0 && endpoint === 'ok' && agree === sample.length;
  // The echo answers with an ack of the API's median size.
  const acks = [...stats.ackSamples].sort((a, b) => a.length - b.length);
  return { figures, drift: d.drift, driftOk, faceChecks: verdicts, ackTemplate: acks.length ? JSON.parse(acks[acks.length >> 1]) : undefined };
}

async function echoPhase(capture: Uint8Array, template: unknown): Promise<PhaseFigures> {
  const echo = await startEchoServer(await freePort(), HB, template);
  cleanups.push(() => echo.stop());
  try {
    log(`\n== echo ceiling: bare socket.io ${(JSON.parse(readFileSync(require.resolve('socket.io/package.json'), 'utf8')) as { version: string }).version} server, same namespace, events, payloads and ack size (pid ${echo.child.pid}) ==`);
    const r = await runLoad(
      {
        name: 'echo',
        baseUrl: echo.baseUrl,
        tokens: Array.from({ length: N }, (_, i) => `echo-${i}`),
        lessonId: 'echo',
        capture,
        expectStartCheck: false,
        startConcurrency: 64,
        // Starts spread over one heartbeat period, so heartbeats are as evenly spread as the API's.
        startRatePerSec: Math.max(1, N / HB),
        maxRampSeconds: MAX_RAMP,
        steadySeconds: S,
        heartbeatSeconds: HB,
        pids: [echo.child.pid!],
        log,
      },
      () => cleaning !== undefined,
    );
    log(`  ramp ${r.rampSeconds.toFixed(1)} s, ${r.started}/${N} connected${r.failures.size ? `; failed: ${r.failures.text()}` : ''}`);
    return steadyFigures('echo', r, [['echo', echo.child.pid!]]);
  } finally {
    await echo.stop();
  }
}

async function main(): Promise<void> {
  const fd = openFileLimit();
  const fdNeed = N + 500;
  log(`bench:study — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, Node ${process.version}, load average ${loadAvg()} (other jobs share this machine)`);
  log(
    `open files: soft ${fd.soft}, hard ${fd.hard} (inherited by the API and echo processes); each side holds one socket per trainee: need ≈ ${fdNeed} per process — ${fd.soft >= fdNeed ? 'enough' : `TOO LOW: raise it with \`ulimit -n ${Math.min(fd.hard, fdNeed * 2)}\` before running`}`,
  );
  if (fd.soft < fdNeed) throw new Error(`open-file limit ${fd.soft} < ${fdNeed}`);
  log(
    `settings: ${N} trainees, heartbeat ${HB} s, steady window ${S} s, start concurrency ${START_CONCURRENCY}, face checks: session start + random every ${FACE_INTERVAL.join('–')} s` +
      `${FACE_INTERVAL[0] >= 86_400 ? ' (none in this run)' : ''}, window ${FACE_WINDOW} s; prompts every ${PROMPT_INTERVAL ? PROMPT_INTERVAL.join('–') + ' s' : 'server default'} , window ${PROMPT_WINDOW} s`,
  );
  const { bytes: capture, text: captureText } = await captureImage();
  log(`face captures: ${captureText}; references: obama-1.jpg's descriptor`);
  let apiFigures: Awaited<ReturnType<typeof apiPhase>> | undefined;
  let database = 'none (echo only)';
  const t0 = performance.now();
  try {
    if (!ECHO_ONLY) {
      const env: Record<string, string> = {
        STUDY_HEARTBEAT_SECONDS: String(HB),
        STUDY_FACE_INTERVAL_MIN_SECONDS: String(FACE_INTERVAL[0]),
        STUDY_FACE_INTERVAL_MAX_SECONDS: String(FACE_INTERVAL[1]),
        STUDY_FACE_WINDOW_SECONDS: String(FACE_WINDOW),
        STUDY_PROMPT_WINDOW_SECONDS: String(PROMPT_WINDOW),
        ...(PROMPT_INTERVAL ? { STUDY_PROMPT_INTERVAL_MIN_SECONDS: String(PROMPT_INTERVAL[0]), STUDY_PROMPT_INTERVAL_MAX_SECONDS: String(PROMPT_INTERVAL[1]) } : {}),
        // One loopback address stands for N people: the per-address HTTP limit would refuse the setup and the progress reads.
        THROTTLE_LIMIT: '1000000',
        // V8 CPU profiles of the API and its database child (the fork inherits the environment), written when they stop.
        ...(CPU_PROF_DIR ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'support', 'cpu-profile-preload.js')}`, BENCH_CPU_PROFILE_DIR: CPU_PROF_DIR } : {}),
      };
      const lessonSeconds = Math.max(1800, MAX_RAMP + HB + S + 300);
      log('setup (N trainees with logins, consent, face references and tokens; a published lesson):');
      const fx = await setUpStudy({ trainees: N, lessonSeconds, env, log, onCleanup: (fn) => cleanups.push(fn) });
      database = fx.database;
      log(`  database: ${database}`);
      apiFigures = await apiPhase(fx, capture);
      await fx.stop();
    }
    const echo = await echoPhase(capture, apiFigures?.ackTemplate ?? SYNTHETIC_ACK);
    const ratio = apiFigures ? apiFigures.figures.cpuPerHb / echo.cpuPerHb : NaN;
    log(`\n== cost of crediting ==`);
    if (apiFigures) {
      log(`  CPU per heartbeat: API process ${(apiFigures.figures.cpuPerHb * 1e6).toFixed(0)} µs / echo ${(echo.cpuPerHb * 1e6).toFixed(0)} µs = ${ratio.toFixed(2)}× (target ≤ ${TARGET.cpuRatio}×)`);
      if (apiFigures.figures.totalCpuPerHb !== apiFigures.figures.cpuPerHb) {
        const withDb = apiFigures.figures.totalCpuPerHb / echo.cpuPerHb;
        log(`  with the embedded database process added: ${(apiFigures.figures.totalCpuPerHb * 1e6).toFixed(0)} µs = ${withDb.toFixed(2)}× echo (information: a MongoDB server is not the API's CPU)`);
      }
      log(`  ack p99: API ${fmtMs(apiFigures.figures.p99)} ms vs echo ${fmtMs(echo.p99)} ms; ack size API ${apiFigures.figures.ackBytes} B, echo ${echo.ackBytes} B`);
    }
    const checks = apiFigures
      ? [
          { ok: apiFigures.figures.p99 <= TARGET.p99Ms, what: `p99 ack ${fmtMs(apiFigures.figures.p99)} ms ≤ ${TARGET.p99Ms}` },
          { ok: apiFigures.driftOk && apiFigures.drift === TARGET.drift, what: `drift ${apiFigures.drift} s = 0 for every trainee, endpoint = ledger` },
          { ok: ratio <= TARGET.cpuRatio, what: `CPU/heartbeat ${ratio.toFixed(2)}× echo ≤ ${TARGET.cpuRatio}×` },
        ]
      : [];
    const verdict = checks.length ? (checks.every((c) => c.ok) ? 'PASS' : 'FAIL') : 'ECHO ONLY';
    log(`  total run time ${((performance.now() - t0) / 1000 / 60).toFixed(1)} min; load average at end ${loadAvg()}`);
    log(
      `\nSUMMARY bench:study N=${N} hb=${HB}s steady=${S}s db=${database.split(' ')[0]}: ` +
        (apiFigures
          ? `${apiFigures.figures.acceptedPerSec.toFixed(1)} accepted hb/s, ack p50/p99 ${fmtMs(apiFigures.figures.p50)}/${fmtMs(apiFigures.figures.p99)} ms, ` +
            `face checks verified ${apiFigures.faceChecks}, drift ${apiFigures.drift} s, API CPU/hb ${(apiFigures.figures.cpuPerHb * 1e6).toFixed(0)} µs = ${ratio.toFixed(2)}× echo (${(echo.cpuPerHb * 1e6).toFixed(0)} µs), with its DB ${(apiFigures.figures.totalCpuPerHb * 1e6).toFixed(0)} µs, `
          : `echo ${echo.acceptedPerSec.toFixed(1)} hb/s, p50/p99 ${fmtMs(echo.p50)}/${fmtMs(echo.p99)} ms, CPU/hb ${(echo.cpuPerHb * 1e6).toFixed(0)} µs, `) +
        `load avg ${os.loadavg()[0].toFixed(2)} → ${verdict}${checks.filter((c) => !c.ok).length ? ` (missed: ${checks.filter((c) => !c.ok).map((c) => c.what).join('; ')})` : ''}`,
    );
    if (verdict === 'FAIL') process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().catch(async (e) => {
  console.error(e);
  await cleanup();
  process.exit(1);
});
