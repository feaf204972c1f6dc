import { DEFAULT_DETECTION_OPTIONS, DetectionOptions } from './analyser';
import { assessEnrolment, DEFAULT_ENROLMENT_THRESHOLDS, EnrolmentRejection, EnrolmentThresholds, enrolmentQuality } from './enrolment-gates';
import { FaceError } from './errors';
import { FaceIndex, SearchHit } from './face-index';
import { checkImageBytes, IntakeLimits } from './image-intake';
import { assertDescriptor, decideOutcome, Descriptor, distanceToReferences, VerificationOutcome } from './matching';
import { BackendInfo, BackendPreference, defaultModelsDir } from './runtime';
import { DESCRIPTOR_LENGTH, type EnrolmentQuality, type FaceObservation, type ImageAnalysis } from './types';
import { BurstFrame, ChallengeAction, ChallengeDecision, ChallengeThresholds, decideChallenge, DEFAULT_CHALLENGE_THRESHOLDS } from './active-challenge';
import { decidePassiveLiveness, defaultLivenessDir, DEFAULT_PASSIVE_LIVENESS, PassiveLivenessThresholds, PassiveLivenessVerdict } from './passive-liveness';
import { hashDistance, perceptualHash } from './perceptual-hash';
import { defaultPoolSize, WorkerPool } from './worker-pool';

/**
 * Default match threshold on the Euclidean distance between 128-d descriptors, chosen from the
 * measurement in libs/face/README.md (fixtures + webcam-like variants, bench/face.ts).
 */
export const DEFAULT_MATCH_THRESHOLD = 0.54;

export interface FaceEngineOptions {
  /** Worker threads; default one per core. */
  poolSize?: number;
  /** Requests allowed to wait for a worker before callers get FaceEngineBusyError; default 4 × poolSize. */
  queueLimit?: number;
  /** Distance at or below which a probe matches; default {@link DEFAULT_MATCH_THRESHOLD}. */
  threshold?: number;
  /** Largest accepted upload in bytes; default 10 MiB. */
  maxBytes?: number;
  /** Largest accepted width × height; default 40 MP (a 20000×20000 bomb is refused from its header). */
  maxPixels?: number;
  /** Longest side images are shrunk to before detection; default 640. */
  maxSide?: number;
  /** Directory with the face-api weights; default <repo>/models/face-api. */
  modelsDir?: string;
  /** 'auto' tries tfjs-node then wasm. */
  backend?: BackendPreference;
  /** A stuck job is abandoned (worker replaced) after this long; default 30 s. */
  jobTimeoutMs?: number;
  enrolment?: Partial<EnrolmentThresholds>;
  detection?: Partial<DetectionOptions>;
  /**
   * Passive liveness on every verify(): the nets' directory (default <repo>/models/liveness; null = off)
   * and the thresholds that refuse (see passive-liveness.ts for the measurement).
   */
  liveness?: { dir?: string | null } & Partial<PassiveLivenessThresholds>;
  /** Thresholds of the active challenge (active-challenge.ts). */
  challenge?: Partial<ChallengeThresholds>;
  /** Perceptual-hash bits within which two frames of a burst count as the same picture; default 4. */
  sameFrameBits?: number;
  /** Where to say which backend started; default console.log. Pass a pino logger's info. */
  log?: (message: string, meta?: Record<string, unknown>) => void;
}

export type EnrolmentResult =
  | { accepted: true; descriptor: number[]; quality: EnrolmentQuality; face: FaceObservation; timings: ImageAnalysis['timings'] }
  | ({ accepted: false; faces: number; quality: EnrolmentQuality | null; timings: ImageAnalysis['timings'] } & EnrolmentRejection);

export interface VerificationResult {
  outcome: VerificationOutcome;
  /** Distance to the closest reference; null when there was no single face to compare. */
  distance: number | null;
  threshold: number;
  faces: number;
  /** Which reference was closest (index into the given array). */
  closestReference: number | null;
  /** Probe descriptor, so a check can also be run 1:N or stored as evidence. */
  descriptor: number[] | null;
  /**
   * Whether `descriptor` is mirror-averaged like enrolled ones. A clear match or mismatch skips the
   * mirror pass (it could not change the outcome); that one-pass descriptor lies within ~0.06 of the averaged one.
   */
  mirrored: boolean;
  /**
   * Passive liveness of the single face (scores, whether they pass, the thresholds); null when the
   * nets are off or there was no single face. A `match` with `live: false` is a presentation attack.
   */
  liveness: PassiveLivenessVerdict | null;
  timings: ImageAnalysis['timings'];
}

export interface ChallengeResult extends ChallengeDecision {
  /** Faces per frame, as found. */
  faces: number[];
  timings: { totalMs: number; perFrameMs: number[] };
}

export interface ObservedBurst {
  frames: BurstFrame[];
  timings: ChallengeResult['timings'];
}

export type ImageInput = Uint8Array;

export class FaceEngine {
  private constructor(
    private readonly pool: WorkerPool,
    readonly threshold: number,
    private readonly limits: IntakeLimits,
    private readonly gates: EnrolmentThresholds,
    private readonly livenessThresholds: PassiveLivenessThresholds | null,
    private readonly challengeThresholds: ChallengeThresholds,
    private readonly sameFrameBits: number,
  ) {}

  /** Starts the workers, loads the nets from disk and warms them up; resolves when ready to serve. */
  static async create(options: FaceEngineOptions = {}): Promise<FaceEngine> {
    const poolSize = options.poolSize ?? defaultPoolSize();
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new RangeError('poolSize must be a positive integer');
    const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
    if (!(threshold > 0 && threshold < 2)) throw new RangeError('threshold must be in (0, 2)');
    const limits: IntakeLimits = {
      maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
      maxPixels: options.maxPixels ?? 40_000_000,
      maxSide: options.maxSide ?? 640,
    };
    const livenessDir = options.liveness?.dir === undefined ? defaultLivenessDir() : options.liveness.dir;
    const pool = await WorkerPool.start(
      {
        livenessDir,
        modelsDir: options.modelsDir ?? defaultModelsDir(),
        backend: options.backend ?? 'auto',
        limits,
        detection: { ...DEFAULT_DETECTION_OPTIONS, ...options.detection },
      },
      { size: poolSize, queueLimit: options.queueLimit ?? 4 * poolSize, jobTimeoutMs: options.jobTimeoutMs ?? 30_000 },
    );
    const { dir: _dir, ...livenessThresholds } = options.liveness ?? {};
    const engine = new FaceEngine(
      pool,
      threshold,
      limits,
      { ...DEFAULT_ENROLMENT_THRESHOLDS, ...options.enrolment },
      livenessDir ? { ...DEFAULT_PASSIVE_LIVENESS, ...livenessThresholds } : null,
      { ...DEFAULT_CHALLENGE_THRESHOLDS, ...options.challenge },
      options.sameFrameBits ?? 4,
    );
    const b = pool.backend;
    const log = options.log ?? ((m: string) => console.log(m));
    log(`face engine ready: backend=${b.name}${b.simd ? ' (simd)' : ''} workers=${poolSize} liveness=${livenessDir ? 'on' : 'off'}${b.fallbackReason ? ` — ${b.fallbackReason}` : ''}`, {
      backend: b,
      poolSize,
    });
    return engine;
  }

  /** tfjs backend in use ('tensorflow' or 'wasm'), for /health and logs. */
  get backend(): string {
    return this.pool.backend.name;
  }

  get backendInfo(): BackendInfo {
    return this.pool.backend;
  }

  /** Load figures for /health. */
  get stats(): { poolSize: number; ready: number; running: number; queued: number } {
    return { poolSize: this.pool.size, ready: this.pool.ready, running: this.pool.running, queued: this.pool.pending };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Faces, quality measures and (for exactly one face) the descriptor. Throws FaceImageError / FaceEngineBusyError. */
  async analyse(image: ImageInput, wantDescriptor = true): Promise<ImageAnalysis> {
    return this.run(image, wantDescriptor);
  }

  /** Whether verify() scores passive liveness (the nets were found and loaded). */
  get passiveLiveness(): PassiveLivenessThresholds | null {
    return this.livenessThresholds;
  }

  private async run(image: ImageInput, wantDescriptor: boolean, match?: { references: readonly Descriptor[]; threshold: number }, reference = false, liveness = false): Promise<ImageAnalysis> {
    checkImageBytes(image, this.limits);
    const started = performance.now();
    const flat = match ? new Float32Array(match.references.length * DESCRIPTOR_LENGTH) : null;
    match?.references.forEach((r, i) => flat?.set(r, i * DESCRIPTOR_LENGTH));
    // Copy: the caller keeps its buffer, and a Node Buffer may be a slice of a shared pool.
    const r = await this.pool.analyse(Uint8Array.from(image), wantDescriptor, match && flat ? { references: flat, threshold: match.threshold } : undefined, reference, liveness && this.livenessThresholds !== null);
    return {
      width: r.width,
      height: r.height,
      faces: r.faces,
      descriptor: r.descriptor,
      mirrored: r.mirrored,
      detectorsRun: r.detectorsRun,
      liveTensors: r.tensors,
      liveness: r.liveness,
      timings: {
        queueMs: round1(r.queueMs),
        decodeMs: round1(r.decodeMs),
        detectMs: round1(r.detectMs),
        describeMs: round1(r.describeMs),
        livenessMs: round1(r.livenessMs),
        totalMs: round1(performance.now() - started),
      },
    };
  }

  /** One reference photo → descriptor + quality, or the reason it cannot serve as a reference. */
  async enrol(image: ImageInput): Promise<EnrolmentResult> {
    // A reference is averaged over jittered chips too (analyse() and verify() describe the face once, mirrored).
    const a = await this.run(image, true, undefined, true);
    const rejection = assessEnrolment(a.faces, this.gates);
    const quality = a.faces.length === 1 ? enrolmentQuality(a.faces[0], this.gates) : null;
    if (rejection) return { accepted: false, ...rejection, faces: a.faces.length, quality, timings: a.timings };
    if (!a.descriptor || !quality) throw new FaceError('FACE_ENGINE_FAILED', { reason: 'no descriptor for a single face' });
    return { accepted: true, descriptor: Array.from(a.descriptor), quality, face: a.faces[0], timings: a.timings };
  }

  /** Probe photo against all of one person's references. */
  async verify(probe: ImageInput, references: readonly Descriptor[], threshold = this.threshold): Promise<VerificationResult> {
    if (references.length === 0) throw new FaceError('FACE_DESCRIPTOR_INVALID', { field: 'references', reason: 'empty' });
    references.forEach((r, i) => assertDescriptor(r, `references[${i}]`));
    const a = await this.run(probe, true, { references, threshold }, false, true);
    let distance: number | null = null;
    let closestReference: number | null = null;
    if (a.faces.length === 1 && a.descriptor) {
      const d = a.descriptor;
      distance = distanceToReferences(d, references);
      closestReference = references.findIndex((r) => distanceToReferences(d, [r]) === distance);
    }
    return {
      outcome: decideOutcome(a.faces.length, distance, threshold),
      distance: distance === null ? null : Math.round(distance * 10000) / 10000,
      threshold,
      faces: a.faces.length,
      closestReference,
      descriptor: a.descriptor ? Array.from(a.descriptor) : null,
      mirrored: a.mirrored,
      liveness: a.liveness && this.livenessThresholds ? decidePassiveLiveness(a.liveness, this.livenessThresholds) : null,
      timings: a.timings,
    };
  }

  /**
   * The active challenge: the burst (a few frames, in order) must show `action`; decided from the
   * 68 landmarks of each frame and the frames' perceptual hashes (a frozen burst fails). Identity is
   * not checked here — pair it with verify() on one of the frames.
   */
  async challenge(action: ChallengeAction, frames: readonly ImageInput[]): Promise<ChallengeResult> {
    return this.decideBurst(action, await this.observeBurst(frames));
  }

  /** What the challenge reads from a burst: faces, landmarks and hash per frame (one analysis, any number of decisions). */
  async observeBurst(frames: readonly ImageInput[]): Promise<ObservedBurst> {
    const started = performance.now();
    const analysed = await Promise.all(frames.map(async (f) => ({ a: await this.run(f, false), hash: await perceptualHash(f) })));
    return {
      frames: analysed.map(({ a, hash }) => ({ faces: a.faces.length, landmarks: a.faces.length === 1 ? a.faces[0].landmarks : undefined, hash })),
      timings: { totalMs: round1(performance.now() - started), perFrameMs: analysed.map(({ a }) => a.timings.totalMs) },
    };
  }

  decideBurst(action: ChallengeAction, burst: ObservedBurst): ChallengeResult {
    const decision = decideChallenge(action, burst.frames, (x, y) => hashDistance(x, y) <= this.sameFrameBits, this.challengeThresholds);
    return { ...decision, faces: burst.frames.map((f) => f.faces), timings: burst.timings };
  }

  /** 1:N: nearest `k` enrolled references to a descriptor. */
  search(descriptor: Descriptor, gallery: FaceIndex, k = 10, maxDistance = Infinity): SearchHit[] {
    return gallery.search(descriptor, k, maxDistance);
  }
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
