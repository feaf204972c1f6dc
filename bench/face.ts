/**
 * npm run bench:face -- --dir <folder> [--pool N] [--rss-calls 10000] [--speed-calls 120] [--threshold 0.5] [--mirror-band 0.1] [--ref-jitter 0.03]
 *   [--small-sizes 736,640] [--accuracy-only | --speed-only] [--rounds 3]
 *
 * Files are <person>-<n>.<ext>; same prefix = same person. Prints enrolment rejections, FRR/FAR at the
 * default threshold (photo pairs, and webcam-like 640×480 probes made with sharp against all of a person's
 * references), throughput/latency for pool size 1 and the default size next to the naive baseline measured
 * in this same run, RSS over many calls, and 1:N search time over 100,000 synthetic descriptors. Each headline
 * FRR/FAR carries in brackets its exact one-sided 95 % upper bound for the number of trials behind it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_DETECTION_OPTIONS, decideOutcome, distanceToReferences, FaceEngine, FaceIndex, ImageAnalysis } from '../libs/face/src/index';
import { defaultModelsDir } from '../libs/face/src/runtime';
import { squashedFrame, webcamFrame } from '../libs/face/test-support/variants';
import { rateUpperBound } from './support/binomial';
import { startNaiveBaseline } from './support/face-naive';

const args = parseArgs(process.argv.slice(2));
const dir = path.resolve(String(args.dir ?? path.join(__dirname, '../../shared/fixtures/faces')));
const cores = os.availableParallelism?.() ?? os.cpus().length;
const defaultPool = Number(args.pool ?? cores);
const rssCalls = Number(args['rss-calls'] ?? 10_000);
const speedCalls = Number(args['speed-calls'] ?? 120);
const PROBE_FACE_WIDTHS = (args['probe-widths'] ? String(args['probe-widths']) : '120,80,56').split(',').map(Number);

interface Enrolled {
  file: string;
  person: string;
  descriptor: number[];
  image: Buffer;
  box: { x: number; y: number; width: number; height: number };
}

interface Trial {
  kind?: string;
  probe?: string;
  /** Whose references the probe was compared with. */
  against?: string;
  genuine: boolean;
  /** verify()'s distance and outcome (mirror pass only when the one-pass distance was near the threshold). */
  distance: number | null;
  outcome: string;
  mirrored: boolean;
  /** Distance of the always mirror-averaged descriptor, and of a one-pass engine's. */
  averaged: number | null;
  single: number | null;
  faces: number;
}

async function main(): Promise<void> {
  const log = (s = ''): void => console.log(s);
  const files = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
  // --mirror / --tiny-size / --doubtful try detection variants without editing the defaults.
  const detection = {
    ...(args.mirror ? { mirrorAverage: args.mirror !== 'off' } : {}),
    ...(args.level ? { levelEyes: args.level !== 'off' } : {}),
    ...(args['tiny-size'] ? { tinyInputSize: Number(args['tiny-size']) } : {}),
    ...(args['small-sizes'] ? { smallFaceInputSizes: String(args['small-sizes']).split(',').map(Number) } : {}),
    ...(args.doubtful ? { doubtfulScore: Number(args.doubtful) } : {}),
    ...(args['mirror-band'] ? { mirrorBand: Number(args['mirror-band']) } : {}),
    ...(args['ref-jitter'] !== undefined ? { referenceJitter: Number(args['ref-jitter']) } : {}),
  };
  const band = detection.mirrorBand ?? DEFAULT_DETECTION_OPTIONS.mirrorBand;
  const engineOptions = { queueLimit: 1000, threshold: args.threshold ? Number(args.threshold) : undefined, detection, log: () => undefined };
  const engine = await FaceEngine.create({ ...engineOptions, poolSize: defaultPool });
  const th = engine.threshold;
  log(`face benchmark  ${new Date().toISOString()}  node ${process.version}  ${cores} cores (${os.cpus()[0]?.model ?? '?'})  load avg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  log(`detection: ${JSON.stringify({ ...DEFAULT_DETECTION_OPTIONS, ...detection })}`);
  log(`backend: ${engine.backend}${engine.backendInfo.simd ? ' (simd)' : ''}${engine.backendInfo.fallbackReason ? ` — ${engine.backendInfo.fallbackReason}` : ''}`);
  log(`images read: ${files.length} from ${dir}`);

  // ── enrolment ───────────────────────────────────────────────────────────────────────────────
  const enrolled: Enrolled[] = [];
  const rejected: string[] = [];
  for (const file of files) {
    const person = file.match(/^(.+)-[^-]+\.[a-z]+$/i)?.[1];
    if (!person) {
      rejected.push(`  ${file}: skipped (name is not <person>-<n>.<ext>)`);
      continue;
    }
    const image = fs.readFileSync(path.join(dir, file));
    try {
      const r = await engine.enrol(image);
      if (r.accepted) enrolled.push({ file, person, descriptor: r.descriptor, image, box: r.face.box });
      else rejected.push(`  ${file}: ${r.code} ${r.message}${r.details ? ' ' + JSON.stringify(r.details) : ''}`);
    } catch (err) {
      rejected.push(`  ${file}: ${(err as { code?: string }).code ?? 'ERROR'} ${(err as Error).message}`);
    }
  }
  log(`enrolment: ${enrolled.length} accepted, ${rejected.length} rejected or skipped`);
  rejected.forEach((r) => log(r));

  // ── accuracy ────────────────────────────────────────────────────────────────────────────────
  // Every trial is a real verify() call — the path that ships, whose mirror pass is adaptive. Beside
  // it, the always-mirror-averaged distance (analyse) and a one-pass engine's distance show that
  // skipping the mirror pass outside ±mirrorBand never changed an outcome.
  // --speed-only: enrol and build the probes, skip the trials (a quick speed check; the full run measures both).
  const speedOnly = Boolean(args['speed-only']);
  const onePass = speedOnly ? null : await FaceEngine.create({ ...engineOptions, poolSize: 1, detection: { ...detection, mirrorAverage: false } });
  const people = [...new Set(enrolled.map((e) => e.person))];
  const probes: { from: Enrolled; bytes: Buffer; kind: string }[] = [];
  for (const e of enrolled) {
    for (const w of PROBE_FACE_WIDTHS) probes.push({ from: e, bytes: await webcamFrame(e.image, e.box, w), kind: `face ${w} px` });
    // The whole photo forced to 640×480 without keeping its aspect, as the e2e fake camera feed does.
    probes.push({ from: e, bytes: await squashedFrame(e.image), kind: 'squashed' });
  }
  interface TrialSpec {
    bytes: Buffer;
    refs: number[][];
    genuine: boolean;
    kind?: string;
    probe?: string;
    against?: string;
  }
  const singles = new Map<Buffer, ImageAnalysis>();
  const averaged = new Map<Buffer, ImageAnalysis>();
  const runTrials = (specs: TrialSpec[]): Promise<Trial[]> =>
    mapLimit(specs, defaultPool, async (t) => {
      const v = await engine.verify(t.bytes, t.refs);
      if (!averaged.has(t.bytes)) averaged.set(t.bytes, await engine.analyse(t.bytes));
      if (!singles.has(t.bytes) && onePass) singles.set(t.bytes, await onePass.analyse(t.bytes));
      const dist = (a: ImageAnalysis | undefined): number | null => (a?.faces.length === 1 && a.descriptor ? distanceToReferences(a.descriptor, t.refs) : null);
      const avg = dist(averaged.get(t.bytes));
      return { genuine: t.genuine, kind: t.kind, probe: t.probe, against: t.against, distance: v.distance, faces: v.faces, outcome: v.outcome, mirrored: v.mirrored, averaged: avg, single: dist(singles.get(t.bytes)) };
    });
  const photoSpecs: TrialSpec[] = [];
  for (let i = 0; i < enrolled.length; i++) {
    for (let j = i + 1; j < enrolled.length; j++) photoSpecs.push({ bytes: enrolled[i].image, refs: [enrolled[j].descriptor], genuine: enrolled[i].person === enrolled[j].person });
  }
  const photoTrials = speedOnly ? [] : await runTrials(photoSpecs);
  const webcamSpecs: TrialSpec[] = [];
  for (const p of probes) {
    for (const person of people) {
      // The probe's own source photo is never one of its references.
      const refs = enrolled.filter((e) => e.person === person && e !== p.from).map((e) => e.descriptor);
      if (refs.length > 0) webcamSpecs.push({ bytes: p.bytes, refs, genuine: person === p.from.person, kind: p.kind, probe: p.from.file, against: person });
    }
  }
  const webcamTrials = speedOnly ? [] : await runTrials(webcamSpecs);
  await onePass?.close();
  const rate = (trials: Trial[], t: number): { g: number; i: number; falseRejects: number; falseAccepts: number; frr: number; far: number } => {
    const g = trials.filter((x) => x.genuine);
    const im = trials.filter((x) => !x.genuine);
    // At the default threshold: verify()'s own outcome. Elsewhere (the sweep): the always-averaged distance.
    const accepted = (x: Trial): boolean => (t === th ? x.outcome : decideOutcome(x.faces, x.averaged, t)) === 'match';
    const falseRejects = g.filter((x) => !accepted(x)).length;
    const falseAccepts = im.filter(accepted).length;
    return { g: g.length, i: im.length, falseRejects, falseAccepts, frr: pct(falseRejects, g.length), far: pct(falseAccepts, im.length) };
  };
  // What a folder this size can show: the rate that could still hide behind the count seen (95 %, one-sided).
  const bound = (seen: number, n: number): string => (n ? ` (≤ ${(100 * rateUpperBound(seen, n)).toFixed(2)}%)` : '');
  // The squashed frames (aspect destroyed) are reported on their own, not mixed into the headline.
  const all = [...photoTrials, ...webcamTrials.filter((t) => t.kind !== 'squashed')];
  if (!speedOnly) {
    const probeAnalyses = probes.map((p) => averaged.get(p.bytes) as ImageAnalysis);
    const fallbacks = probeAnalyses.filter((a) => a.detectorsRun.includes('ssd')).length;
    log();
    log(`accuracy at the default threshold ${th} (distance = min over the person's references)`);
    for (const [name, trials] of [
      ['photo vs photo pairs', photoTrials],
      [`webcam-like probes (640×480 JPEG q75: face ${PROBE_FACE_WIDTHS.join('/')} px centred, and the whole photo squashed to 640×480) vs all other references of each person`, webcamTrials],
      ['all trials except squashed', all],
    ] as const) {
      const r = rate(trials, th);
      log(`  ${name}: genuine ${r.g}, impostor ${r.i} → FRR ${r.frr.toFixed(2)}%${bound(r.falseRejects, r.g)}  FAR ${r.far.toFixed(2)}%${bound(r.falseAccepts, r.i)}`);
    }
    log(`  webcam-like probes: ${probes.length}, SSD fallback used on ${fallbacks}, large tiny pass on ${probeAnalyses.filter((a) => a.detectorsRun.includes('tiny-large')).length}, faces found ≠ 1 on ${probeAnalyses.filter((a) => a.faces.length !== 1).length}`);
    const both = [...photoTrials, ...webcamTrials];
    const gaps = both.filter((x) => x.single !== null && x.averaged !== null).map((x) => Math.abs((x.single as number) - (x.averaged as number)));
    const differs = both.filter((x) => x.outcome !== decideOutcome(x.faces, x.averaged, th)).length;
    log(
      `  mirror pass in verify(): ran on ${both.filter((x) => x.mirrored).length} of ${both.length} trials (one-pass distance within ${band} of ${th}); ` +
        `one-pass vs mirror-averaged distance gap max ${Math.max(...gaps).toFixed(3)} (p95 ${quantile(gaps, 0.95).toFixed(3)}); outcome differs from always-averaged on ${differs}`,
    );
    const gd = all.filter((x) => x.genuine && x.averaged !== null).map((x) => x.averaged as number);
    const idist = all.filter((x) => !x.genuine && x.averaged !== null).map((x) => x.averaged as number);
    log(`  mirror-averaged genuine distance max ${Math.max(...gd).toFixed(3)} (p95 ${quantile(gd, 0.95).toFixed(3)}), impostor distance min ${Math.min(...idist).toFixed(3)} (p5 ${quantile(idist, 0.05).toFixed(3)})`);
    for (const kind of [...new Set(probes.map((p) => p.kind))]) {
      const r = rate(webcamTrials.filter((t) => t.kind === kind), th);
      const worst = webcamTrials.filter((t) => t.kind === kind && t.genuine).sort((a, b) => (b.averaged ?? 9) - (a.averaged ?? 9))[0];
      const closest = webcamTrials.filter((t) => t.kind === kind && !t.genuine && t.averaged !== null).sort((a, b) => (a.averaged as number) - (b.averaged as number))[0];
      log(
        `    ${kind}: FRR ${r.frr.toFixed(2)}% FAR ${r.far.toFixed(2)}% (worst genuine ${worst?.averaged?.toFixed(3) ?? 'no face'} ${worst?.probe ?? ''}; ` +
          `closest impostor ${closest?.averaged?.toFixed(3) ?? '—'} ${closest ? `${closest.probe} vs ${closest.against}` : ''})`,
      );
    }
    const sweep = (trials: Trial[]): string =>
      [0.44, 0.46, 0.48, 0.5, 0.52, 0.54, 0.56, 0.58, 0.6].map((t) => { const r = rate(trials, t); return `${t}: ${r.frr.toFixed(1)}/${r.far.toFixed(2)}`; }).join(' | ');
    log('  threshold sweep, FRR%/FAR% — photo pairs:    ' + sweep(photoTrials));
    log('  threshold sweep, FRR%/FAR% — all but squashed: ' + sweep(all));
  }

  if (args['accuracy-only']) {
    await engine.close();
    return;
  }
  // ── memory ──────────────────────────────────────────────────────────────────────────────────
  const mb = (): number => process.memoryUsage().rss / 1048576;
  const samples: string[] = [];
  const rssBefore = mb();
  const tensorsBefore = (await engine.analyse(probes[0].bytes)).liveTensors;
  log();
  log(`memory: ${rssCalls} analyse() calls over the ${probes.length} webcam-like probes, ${defaultPool} at a time`);
  let tensorsAfter = tensorsBefore;
  const step = Math.max(1, Math.round(rssCalls / 10));
  let started = 0;
  let finished = 0;
  const m0 = performance.now();
  await Promise.all(
    Array.from({ length: defaultPool }, async () => {
      while (started < rssCalls) {
        const p = probes[started++ % probes.length];
        const r = await engine.analyse(p.bytes);
        tensorsAfter = r.liveTensors;
        if (++finished % step === 0) samples.push(`${finished}:${mb().toFixed(0)}`);
      }
    }),
  );
  log(`RSS (engine with ${defaultPool} workers, before the naive baseline loads its own runtime): before ${rssBefore.toFixed(0)} MB, after ${rssCalls} calls ${mb().toFixed(0)} MB (${((performance.now() - m0) / 1000).toFixed(0)} s; samples call:MB ${samples.join(' ')}); live tensors per worker ${tensorsBefore} → ${tensorsAfter}`);

  // ── speed ──────────────────────────────────────────────────────────────────────────────────
  // Two workloads: the folder's photos as uploaded (the naive baseline works on the full-size file,
  // as face-api's examples do), and 640×480 webcam-like captures at a normal sitting distance.
  interface Job {
    bytes: Buffer;
    refs: number[][];
  }
  const refsOf = (from: Enrolled): number[][] => {
    const own = enrolled.filter((e) => e.person === from.person && e !== from).map((e) => e.descriptor);
    return own.length ? own : [from.descriptor];
  };
  const workloads: { name: string; jobs: Job[] }[] = [
    { name: `photos as uploaded (${enrolled.length} files)`, jobs: enrolled.map((e) => ({ bytes: e.image, refs: refsOf(e) })) },
    {
      name: `640×480 captures, face ${PROBE_FACE_WIDTHS.filter((w) => w >= 80).join('/')} px (${probes.filter((p) => /face (\d+)/.exec(p.kind) && Number(/face (\d+)/.exec(p.kind)?.[1]) >= 80).length} frames)`,
      jobs: probes.filter((p) => Number(/face (\d+)/.exec(p.kind)?.[1] ?? 0) >= 80).map((p) => ({ bytes: p.bytes, refs: refsOf(p.from) })),
    },
  ];
  const naive = await startNaiveBaseline(defaultModelsDir());
  interface Tally {
    ms: number;
    calls: number;
    lat: number[];
    parts: ImageAnalysis['timings'][];
  }
  const tally = (): Tally => ({ ms: 0, calls: 0, lat: [], parts: [] });
  const runVerifications = async (eng: FaceEngine, jobs: Job[], from: number, calls: number, concurrency: number, into: Tally): Promise<void> => {
    let next = from;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < from + calls) {
          const job = jobs[next++ % jobs.length];
          const r = await eng.verify(job.bytes, job.refs);
          into.lat.push(r.timings.totalMs);
          into.parts.push(r.timings);
        }
      }),
    );
    into.ms += performance.now() - t0;
    into.calls += calls;
  };
  const runNaive = async (jobs: Job[], from: number, calls: number, into: Tally): Promise<void> => {
    for (let i = from; i < from + calls; i++) {
      const job = jobs[i % jobs.length];
      const t = performance.now();
      const ds = await naive.describe(job.bytes);
      if (ds.length === 1) distanceToReferences(ds[0], job.refs);
      const ms = performance.now() - t;
      into.lat.push(ms);
      into.ms += ms;
      into.calls++;
    }
  };
  const rateOf = (t: Tally): number => (t.calls * 1000) / t.ms;
  const speedups: number[] = [];
  const sizes = [...new Set([1, defaultPool])];
  const extraEngines = new Map<number, FaceEngine>();
  for (const size of sizes) if (size !== defaultPool) extraEngines.set(size, await FaceEngine.create({ ...engineOptions, poolSize: size }));
  // The CPU is shared: naive and engine runs alternate in rounds, so a burst of someone else's load
  // slows both sides alike instead of whichever happened to run during it.
  const rounds = Math.max(1, Number(args.rounds ?? 3));
  for (const w of workloads) {
    log();
    log(`speed — ${w.name}: verify() against the person's references, concurrency = pool size, ${rounds} alternating rounds, load avg ${os.loadavg()[0].toFixed(2)}`);
    const naiveCalls = Math.ceil(Math.max(w.jobs.length, Math.round(speedCalls / 4)) / rounds);
    const engineCalls = Math.ceil(Math.max(speedCalls, w.jobs.length) / rounds);
    const naiveT = tally();
    const engineT = new Map(sizes.map((size) => [size, tally()]));
    for (let round = 0; round < rounds; round++) {
      await runNaive(w.jobs, round * naiveCalls, naiveCalls, naiveT);
      for (const size of sizes) await runVerifications(extraEngines.get(size) ?? engine, w.jobs, round * engineCalls, engineCalls, size, engineT.get(size) as Tally);
    }
    const naiveRate = rateOf(naiveT);
    log(`  naive (1 thread, full image, SSD MobileNet v1 + 68 landmarks + descriptor): ${naiveRate.toFixed(2)} verif/s  p50 ${quantile(naiveT.lat, 0.5).toFixed(0)} ms  p95 ${quantile(naiveT.lat, 0.95).toFixed(0)} ms`);
    for (const size of sizes) {
      const r = engineT.get(size) as Tally;
      const avg = (k: keyof ImageAnalysis['timings']): string => (r.parts.reduce((s, t) => s + t[k], 0) / r.parts.length).toFixed(0);
      log(
        `  engine, pool size ${size}${size === defaultPool ? ' (default)' : ''}: ${rateOf(r).toFixed(2)} verif/s  p50 ${quantile(r.lat, 0.5).toFixed(0)} ms  p95 ${quantile(r.lat, 0.95).toFixed(0)} ms` +
          `  → ${(rateOf(r) / naiveRate).toFixed(1)}× naive  (mean decode ${avg('decodeMs')} + detect ${avg('detectMs')} + describe ${avg('describeMs')} ms)`,
      );
      if (size === defaultPool) speedups.push(rateOf(r) / naiveRate);
    }
    log(`  load avg after: ${os.loadavg()[0].toFixed(2)}`);
  }
  for (const e of extraEngines.values()) await e.close();

  await engine.close();

  // ── 1:N ─────────────────────────────────────────────────────────────────────────────────────
  const index = new FaceIndex(100_000);
  const rnd = mulberry32(42);
  for (let i = 0; i < 100_000; i++) index.add({ id: `r${i}`, subjectId: `s${i >> 1}`, descriptor: randomUnit(rnd) });
  const searchLat: number[] = [];
  for (let q = 0; q < 100; q++) {
    const query = randomUnit(rnd);
    const t = performance.now();
    index.search(query, 10);
    searchLat.push(performance.now() - t);
  }
  log(`1:N search over ${index.size} synthetic descriptors (k=10, brute force Float32Array): p50 ${quantile(searchLat, 0.5).toFixed(1)} ms  p95 ${quantile(searchLat, 0.95).toFixed(1)} ms`);

  const total = rate(all, th);
  log();
  // Speed-up on the folder's own images (first workload): that is where the naive baseline is defined.
  log(`FRR ${speedOnly ? '—' : total.frr.toFixed(2)}% FAR ${speedOnly ? '—' : total.far.toFixed(2)}% speed-up ${speedups[0].toFixed(1)}× vs naive`);
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, limit) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

function pct(n: number, d: number): number {
  return d === 0 ? 0 : (100 * n) / d;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real descriptors are near-unit vectors; random ones on the sphere give the same arithmetic cost. */
function randomUnit(rnd: () => number): Float32Array {
  const v = new Float32Array(128);
  let n = 0;
  for (let i = 0; i < 128; i++) {
    v[i] = rnd() - 0.5;
    n += v[i] * v[i];
  }
  n = Math.sqrt(n);
  for (let i = 0; i < 128; i++) v[i] /= n;
  return v;
}

function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([^=]+)(?:=(.*))?$/);
    if (!m) continue;
    if (m[2] !== undefined) out[m[1]] = m[2];
    else if (argv[i + 1] && !argv[i + 1].startsWith('--')) out[m[1]] = argv[++i];
    else out[m[1]] = true;
  }
  return out;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
