import type * as FaceApi from '@vladmandic/face-api';
import type { RgbImage } from './image-intake';
import { tfOf } from './runtime';
import { estimatePose, greyChip, laplacianVariance, meanOf } from './quality';
import type { DetectorName, FaceObservation } from './types';

export interface DetectionOptions {
  /** TinyFaceDetector input size (multiple of 32); larger finds smaller faces at more cost. */
  tinyInputSize: number;
  tinyMinScore: number;
  /** A fast-path face scoring below this is "doubtful" and the image goes through SSD MobileNet too. */
  doubtfulScore: number;
  ssdMinScore: number;
  /** Average the descriptor of the face and of its mirror image (steadier under pose/lighting, +1 recognition pass). */
  mirrorAverage: boolean;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = {
  tinyInputSize: 416,
  tinyMinScore: 0.5,
  doubtfulScore: 0.7,
  ssdMinScore: 0.5,
  mirrorAverage: false,
};

export interface FaceAnalysisCore {
  faces: FaceObservation[];
  descriptor: Float32Array | null;
  detectorsRun: DetectorName[];
  detectMs: number;
  describeMs: number;
}

type FaceApiModule = typeof FaceApi;
type FaceTensor = FaceApi.tf.Tensor3D;
type LandmarkedFace = FaceApi.WithFaceLandmarks<{ detection: FaceApi.FaceDetection }, FaceApi.FaceLandmarks68>;

/**
 * Detect → landmarks → (descriptor when exactly one face). The cheap TinyFaceDetector runs first;
 * SSD MobileNet v1 — the detector face-api's own examples use — re-examines the image whenever the
 * fast one finds nothing, several faces, or a low-scoring face, so speed never costs a missed face.
 */
export class FaceAnalyser {
  constructor(
    private readonly faceapi: FaceApiModule,
    private readonly opts: DetectionOptions = DEFAULT_DETECTION_OPTIONS,
  ) {}

  async analyse(img: RgbImage, wantDescriptor: boolean): Promise<FaceAnalysisCore> {
    const { faceapi } = this;
    const tf = tfOf(faceapi);
    const input = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32') as unknown as FaceTensor;
    try {
      const t0 = performance.now();
      const detectorsRun: DetectorName[] = ['tiny'];
      let detector: DetectorName = 'tiny';
      let found = await this.detect(input, 'tiny');
      if (found.length !== 1 || found[0].detection.score < this.opts.doubtfulScore) {
        detectorsRun.push('ssd');
        const ssd = await this.detect(input, 'ssd');
        if (ssd.length > 0) {
          found = ssd;
          detector = 'ssd';
        } else {
          // SSD saw nothing: keep only fast-path faces confident enough to stand on their own.
          found = found.filter((f) => f.detection.score >= this.opts.doubtfulScore);
        }
      }
      const t1 = performance.now();
      const faces = found.map((f) => this.observe(img, f, detector));
      let descriptor: Float32Array | null = null;
      if (wantDescriptor && found.length === 1) descriptor = await this.describe(input, found[0]);
      const t2 = performance.now();
      return { faces, descriptor, detectorsRun, detectMs: t1 - t0, describeMs: t2 - t1 };
    } finally {
      input.dispose();
    }
  }

  private async detect(input: FaceTensor, which: DetectorName): Promise<LandmarkedFace[]> {
    const { faceapi, opts } = this;
    const options =
      which === 'tiny'
        ? new faceapi.TinyFaceDetectorOptions({ inputSize: opts.tinyInputSize, scoreThreshold: opts.tinyMinScore })
        : new faceapi.SsdMobilenetv1Options({ minConfidence: opts.ssdMinScore, maxResults: 10 });
    const faces = await faceapi.detectAllFaces(input, options).withFaceLandmarks();
    return faces.sort((a, b) => b.detection.box.area - a.detection.box.area);
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
      sharpness: laplacianVariance(chip, Math.sqrt(chip.length), Math.sqrt(chip.length)),
      brightness: meanOf(chip),
    };
  }

  private async describe(input: FaceTensor, f: LandmarkedFace): Promise<Float32Array> {
    const { faceapi } = this;
    const [chip] = await faceapi.extractFaceTensors(input, [f.alignedRect]);
    try {
      const d = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chip)) as Float32Array;
      // A fresh buffer: the backend's array may be a view on memory that must not be transferred.
      if (!this.opts.mirrorAverage) return Float32Array.from(d);
      const mirrored = tfOf(faceapi).reverse(chip as unknown as Parameters<ReturnType<typeof tfOf>['reverse']>[0], 1) as unknown as FaceTensor;
      try {
        const m = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(mirrored)) as Float32Array;
        const avg = new Float32Array(d.length);
        let norm = 0;
        for (let i = 0; i < d.length; i++) {
          avg[i] = (d[i] + m[i]) / 2;
          norm += avg[i] * avg[i];
        }
        // Descriptors are unit-length; keep the average on the sphere so distances stay comparable.
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < d.length; i++) avg[i] /= norm;
        return avg;
      } finally {
        mirrored.dispose();
      }
    } finally {
      chip.dispose();
    }
  }
}
