import type * as FaceApi from '@vladmandic/face-api';
import type { RgbImage } from './image-intake';
import { tfOf } from './runtime';
import type { Tensor as TfTensor, Tensor4D as TfTensor4D } from '@tensorflow/tfjs-core';
import { detectSsdFaces } from './ssd-rect-detector';
import { detectTinyFaces } from './tiny-rect-detector';
import { estimatePose, greyChip, laplacianVariance, meanOf } from './quality';
import { type Descriptor, distanceToReferences, needsMirrorPass } from './matching';
import { meanDescriptors, referenceJitterOffsets } from './reference-jitter';
import type { DetectionPass, DetectorName, FaceObservation } from './types';
import { passiveLiveness, type PassiveLivenessModels, type PassiveLivenessScores } from './passive-liveness';

export interface DetectionOptions {
  /** TinyFaceDetector input size (multiple of 32); larger finds smaller faces at more cost. */
  tinyInputSize: number;
  tinyMinScore: number;
  /** A fast-path face scoring below this is "doubtful" and the image goes through SSD MobileNet too. */
  doubtfulScore: number;
  ssdMinScore: number;
  /**
   * A second face counts (→ 'multiple') only at this score: a lone false positive at 0.5–0.6 on a
   * painting or curtain must not turn a clean capture into "several people".
   */
  secondaryFaceMinScore: number;
  /**
   * Last resort when both found nothing: TinyFaceDetector at these larger input sizes, in turn until
   * one finds a face. On 640×480 frames 736 (×1.15) finds 48–64 px faces the 640 pass misses (bench
   * proxy: 63 vs 34 of 66 at 48 px, 65 vs 57 at 56 px), yet misses a few that 640 finds — the tiny
   * net's hits depend on where the face falls on its grid, so the second size is a second chance.
   */
  smallFaceInputSizes: readonly number[];
  /** Average the descriptor of the face and of its mirror image (steadier under pose/lighting, +1 recognition pass). */
  mirrorAverage: boolean;
  /**
   * In a verification the mirror pass runs only when the one-pass distance lies within this of the
   * threshold (Infinity: always). Measured (bench/face.ts, fixtures and two webcam-like folders): the
   * one-pass distance to mirror-averaged references stays within 0.07 of the averaged probe's, so
   * outside ±0.1 the second pass does not change the outcome; inside it, it runs as before.
   */
  mirrorBand: number;
  /** Rotate the face chip so the eyes are level before describing it (face-api only crops an upright box). */
  levelEyes: boolean;
  /**
   * Reference descriptors (enrolment) average chips shifted by ± this fraction of the face box along
   * x and y, each with its mirror (see reference-jitter.ts); 0 = the box alone. Needs `levelEyes`.
   * Probes are never jittered, so verification costs the same.
   */
  referenceJitter: number;
}

/** Side of the chip the recognition net reads (its input size). */
const CHIP = 150;

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = {
  tinyInputSize: 416,
  tinyMinScore: 0.5,
  doubtfulScore: 0.7,
  ssdMinScore: 0.5,
  secondaryFaceMinScore: 0.7,
  smallFaceInputSizes: [736, 640],
  mirrorAverage: true,
  mirrorBand: 0.1,
  levelEyes: true,
  referenceJitter: 0.03,
};

/** The references a verification compares against, so the worker can skip a second pass that cannot change the outcome. */
export interface MatchContext {
  references: readonly Descriptor[];
  threshold: number;
}

export interface FaceAnalysisCore {
  faces: FaceObservation[];
  descriptor: Float32Array | null;
  /** Whether the descriptor is the mean of the face's and its mirror image's (false: one pass). */
  mirrored: boolean;
  detectorsRun: DetectionPass[];
  detectMs: number;
  describeMs: number;
  /** Passive liveness scores of the single face (null: not asked, no models, or not exactly one face). */
  liveness: PassiveLivenessScores | null;
  livenessMs: number;
}

type FaceApiModule = typeof FaceApi;
type FaceTensor = FaceApi.tf.Tensor3D;
export type LandmarkedFace = FaceApi.WithFaceLandmarks<{ detection: FaceApi.FaceDetection }, FaceApi.FaceLandmarks68>;

/**
 * Detect → landmarks → (descriptor when exactly one face). The cheap TinyFaceDetector runs first;
 * SSD MobileNet v1 — the detector face-api's own examples use — re-examines the image whenever the
 * fast one finds nothing, several faces, or a low-scoring face, so speed never costs a missed face.
 */
export class FaceAnalyser {
  constructor(
    private readonly faceapi: FaceApiModule,
    private readonly opts: DetectionOptions = DEFAULT_DETECTION_OPTIONS,
    private readonly livenessModels: PassiveLivenessModels | null = null,
  ) {}

  /**
   * `reference`: the descriptor will be stored as an enrolment reference, so it is averaged over jittered chips too.
   * `wantLiveness`: score the single face with the passive liveness nets (when they are loaded).
   */
  async analyse(img: RgbImage, wantDescriptor: boolean, match?: MatchContext, reference = false, wantLiveness = false): Promise<FaceAnalysisCore> {
    const { faceapi } = this;
    const tf = tfOf(faceapi);
    const input = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32') as unknown as FaceTensor;
    try {
      const t0 = performance.now();
      const { landmarked, detector, detectorsRun } = await this.locate(input);
      const t1 = performance.now();
      const faces = landmarked.map((f) => this.observe(img, f, detector));
      let described: { descriptor: Float32Array; mirrored: boolean } | null = null;
      if (wantDescriptor && landmarked.length === 1) described = await this.describe(input, landmarked[0], faces[0].pose.roll, match, reference);
      const t2 = performance.now();
      let liveness: PassiveLivenessScores | null = null;
      if (wantLiveness && this.livenessModels && landmarked.length === 1) {
        const b = landmarked[0].detection.box;
        liveness = await passiveLiveness(tf, this.livenessModels, input as never, { x: b.x, y: b.y, width: b.width, height: b.height });
      }
      const t3 = performance.now();
      return {
        faces,
        descriptor: described?.descriptor ?? null,
        mirrored: described?.mirrored ?? false,
        detectorsRun,
        detectMs: t1 - t0,
        describeMs: t2 - t1,
        liveness,
        livenessMs: t3 - t2,
      };
    } finally {
      input.dispose();
    }
  }

  /**
   * Detection and landmarks only, on a frame tensor the caller owns: what `analyse` runs before the
   * descriptor, public so bench:face-models can describe the very same faces with other recognisers.
   */
  async locate(input: FaceTensor): Promise<{ landmarked: LandmarkedFace[]; detector: DetectorName; detectorsRun: DetectionPass[] }> {
    const { faceapi } = this;
    const detectorsRun: DetectionPass[] = ['tiny'];
    let detector: DetectorName = 'tiny';
    // Boxes first, landmarks once for the faces kept: a pass whose answer is discarded costs no landmarks.
    let found = await this.detect(input, 'tiny');
    if (found.length !== 1 || found[0].score < this.opts.doubtfulScore) {
      detectorsRun.push('ssd');
      const ssd = await this.detect(input, 'ssd');
      if (ssd.length > 0) {
        found = ssd;
        detector = 'ssd';
      } else {
        // SSD saw nothing: keep only fast-path faces confident enough to stand on their own.
        found = found.filter((f) => f.score >= this.opts.doubtfulScore);
      }
    }
    // Both detectors work on a shrunk copy (416 / 512 px); a face far from the camera can vanish there.
    for (const size of this.opts.smallFaceInputSizes) {
      if (found.length > 0 || !(size > this.opts.tinyInputSize)) continue;
      detectorsRun.push('tiny-large');
      found = await this.detect(input, 'tiny', size);
      detector = 'tiny';
    }
    found = found.filter((f, i) => i === 0 || f.score >= this.opts.secondaryFaceMinScore);
    const located = Promise.resolve(found.map((detection) => faceapi.extendWithFaceDetection({}, detection)));
    const landmarked: LandmarkedFace[] = found.length ? await new faceapi.DetectAllFaceLandmarksTask(located, input, false) : [];
    return { landmarked, detector, detectorsRun };
  }

  private async detect(input: FaceTensor, which: DetectorName, inputSize = this.opts.tinyInputSize): Promise<FaceApi.FaceDetection[]> {
    const { faceapi, opts } = this;
    const faces =
      which === 'tiny'
        ? await detectTinyFaces(faceapi, input, inputSize, opts.tinyMinScore)
        : await detectSsdFaces(faceapi, input, opts.ssdMinScore, 10);
    // Most confident first: that face is the one described when the rest are dropped as noise.
    return faces.sort((a, b) => b.score - a.score);
  }

  private observe(img: RgbImage, f: LandmarkedFace, detector: DetectorName): FaceObservation {
    const b = f.detection.box;
    const box = { x: b.x, y: b.y, width: b.width, height: b.height };
    const chip = greyChip(img, box);
    const scale = img.sourceWidth / img.width;
    return {
      box: { x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale },
      score: f.detection.score,
      detector,
      pose: estimatePose(f.landmarks.positions),
      landmarks: f.landmarks.positions.map((p) => ({ x: round1(p.x * scale), y: round1(p.y * scale) })),
      sharpness: laplacianVariance(chip, Math.sqrt(chip.length), Math.sqrt(chip.length)),
      brightness: meanOf(chip),
    };
  }

  private async describe(
    input: FaceTensor,
    f: LandmarkedFace,
    rollDeg: number,
    match?: MatchContext,
    reference = false,
  ): Promise<{ descriptor: Float32Array; mirrored: boolean }> {
    const { faceapi, opts } = this;
    const net = faceapi.nets.faceRecognitionNet;
    if (reference && opts.levelEyes && opts.mirrorAverage && opts.referenceJitter > 0) return { descriptor: await this.jitteredDescriptor(input, f, rollDeg), mirrored: true };
    const chip = opts.levelEyes ? this.levelledChip(input, f, rollDeg) : (await faceapi.extractFaceTensors(input, [f.alignedRect]))[0];
    const mirror = (): FaceTensor => tfOf(faceapi).reverse(chip as unknown as TfTensor, 1) as unknown as FaceTensor;
    try {
      if (opts.mirrorAverage && !(match && Number.isFinite(opts.mirrorBand))) {
        // Both chips in one call: one batch through the recognition net.
        const mirrored = mirror();
        try {
          const [d, m] = (await net.computeFaceDescriptor([chip, mirrored])) as Float32Array[];
          return { descriptor: meanDescriptors([d, m]), mirrored: true };
        } finally {
          mirrored.dispose();
        }
      }
      // A fresh buffer: the backend's array may be a view on memory that must not be transferred.
      const single = Float32Array.from((await net.computeFaceDescriptor(chip)) as Float32Array);
      if (!opts.mirrorAverage || !match || !needsMirrorPass(distanceToReferences(single, match.references), match.threshold, opts.mirrorBand)) {
        return { descriptor: single, mirrored: false };
      }
      const mirrored = mirror();
      try {
        return { descriptor: meanDescriptors([single, (await net.computeFaceDescriptor(mirrored)) as Float32Array]), mirrored: true };
      } finally {
        mirrored.dispose();
      }
    } finally {
      chip.dispose();
    }
  }

  /** Mean over the jittered chips and their mirrors, all in one batch through the recognition net. */
  private async jitteredDescriptor(input: FaceTensor, f: LandmarkedFace, rollDeg: number): Promise<Float32Array> {
    const tf = tfOf(this.faceapi);
    const chips: FaceTensor[] = [];
    try {
      for (const [dx, dy] of referenceJitterOffsets(this.opts.referenceJitter)) {
        const chip = this.levelledChip(input, f, rollDeg, dx, dy);
        chips.push(chip, tf.reverse(chip as unknown as TfTensor, 1) as unknown as FaceTensor);
      }
      return meanDescriptors((await this.faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chips)) as Float32Array[]);
    } finally {
      chips.forEach((c) => c.dispose());
    }
  }

  /**
   * The aligned box as a 150×150 chip, rotated about the face centre by the eye-line angle, so a
   * tilted head gives the recogniser the same upright chip as a level one. One bilinear affine
   * sample of the frame (tf.image.transform): the former resize-then-rotate pass rotated with
   * nearest-neighbour sampling, which on small faces (52–90 px, upscaled ~2×) cost same-person
   * distance — held-out-like proxy FRR 4.6 → 2.3 %, see README. `dx`/`dy` shift the box by that
   * fraction of its side (reference jitter).
   */
  private levelledChip(input: FaceTensor, f: LandmarkedFace, rollDeg: number, dx = 0, dy = 0): FaceTensor {
    const tf = tfOf(this.faceapi);
    const affine = chipAffine(f.alignedRect.box, rollDeg, CHIP, dx, dy);
    const out = tf.tidy(() => {
      const batch = tf.expandDims(tf.cast(input as unknown as TfTensor, 'float32'), 0) as TfTensor4D;
      return tf.squeeze(tf.image.transform(batch, tf.tensor2d([affine], [1, 8]), 'bilinear', 'constant', 0, [CHIP, CHIP]), [0]);
    });
    return out as unknown as FaceTensor;
  }
}

/**
 * tf.image.transform's 8 numbers for a `size`×`size` chip of the box (side = its longer edge × `scale`,
 * centre shifted by `dx`/`dy` of that side), rotated about its centre by `rollDeg`: output pixel (u, v)
 * samples the frame at centre + k·R(roll)·((u, v) − chip centre). Shared with bench:face-models, which
 * cuts other recognisers' chips (112 / 224 px, wider margins) from the same aligned box.
 */
export function chipAffine(
  b: { x: number; y: number; width: number; height: number },
  rollDeg: number,
  size: number,
  dx = 0,
  dy = 0,
  scale = 1,
): number[] {
  const boxSide = Math.max(b.width, b.height);
  const cx = b.x + b.width / 2 + dx * boxSide;
  const cy = b.y + b.height / 2 + dy * boxSide;
  const k = (boxSide * scale) / size;
  const c = (size - 1) / 2;
  const th = (rollDeg * Math.PI) / 180;
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  return [k * cos, -k * sin, cx - k * (cos - sin) * c, k * sin, k * cos, cy - k * (sin + cos) * c, 0, 0];
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
