import type * as FaceApi from '@vladmandic/face-api';
import type { Tensor as TfTensor, Tensor4D as TfTensor4D } from '@tensorflow/tfjs-core';
import { tfOf } from './runtime';
import { frameGeometry, scaledBatch } from './scaled-batch';

type FaceApiModule = typeof FaceApi;

/** TinyFaceDetector's constants (face-api src/tinyFaceDetector/const.ts): not exported by the bundle. */
const MEAN_RGB = [117.001, 114.697, 97.404] as const;
const ANCHORS = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
] as const;
const IOU_THRESHOLD = 0.4;
/** Total stride of the detector's backbone: one output cell per 32×32 input pixels. */
const CELL = 32;
const ENCODING = 5;

interface MobilenetRunner {
  params: unknown;
  runMobilenet(x: TfTensor4D, params: unknown): TfTensor4D;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * TinyFaceDetector without face-api's square padding. face-api pads every frame to a square before
 * shrinking it to `inputSize`, so a 640×480 capture spends a quarter of the detector's work on a
 * black band. The network is fully convolutional: run it on the frame at the same scale, padded only
 * to the next multiple of 32, and decode the non-square output grid exactly as face-api decodes the
 * square one (same anchors, sigmoid offsets, NMS). Faces away from the padded band get the same
 * scores and boxes as with face-api's own call.
 */
export async function detectTinyFaces(
  faceapi: FaceApiModule,
  input: FaceApi.tf.Tensor3D,
  inputSize: number,
  minScore: number,
): Promise<FaceApi.FaceDetection[]> {
  const tf = tfOf(faceapi);
  const net = faceapi.nets.tinyFaceDetector as unknown as MobilenetRunner;
  if (!net.params) throw new Error('TinyFaceDetector - load model before inference');
  const [height, width] = (input as unknown as { shape: number[] }).shape;
  const g = frameGeometry(height, width, inputSize, CELL);
  const rows = g.paddedHeight / CELL;
  const cols = g.paddedWidth / CELL;
  const out = tf.tidy(() => {
    const batch = scaledBatch(tf, input as unknown as TfTensor, g);
    const normalised = tf.div(tf.sub(batch, tf.tensor1d(MEAN_RGB as unknown as number[])), 255) as TfTensor4D;
    return net.runMobilenet(normalised, net.params);
  });
  const { width: W, height: H, scale } = g;
  let raw: Float32Array;
  try {
    if (out.shape[1] !== rows || out.shape[2] !== cols || out.shape[3] !== ANCHORS.length * ENCODING) {
      throw new Error(`TinyFaceDetector output ${out.shape.join('×')} ≠ ${rows}×${cols}×${ANCHORS.length * ENCODING}`);
    }
    raw = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  const boxes: FaceApi.BoundingBox[] = [];
  const scores: number[] = [];
  // Cell (row, col) covers input pixels [col·32, (col+1)·32); divide by `scale` for frame pixels.
  const unit = CELL / scale;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      for (let a = 0; a < ANCHORS.length; a++) {
        const o = ((row * cols + col) * ANCHORS.length + a) * ENCODING;
        const score = sigmoid(raw[o + 4]);
        if (score <= minScore) continue;
        const cx = (col + sigmoid(raw[o])) * unit;
        const cy = (row + sigmoid(raw[o + 1])) * unit;
        const bw = Math.exp(raw[o + 2]) * ANCHORS[a][0] * unit;
        const bh = Math.exp(raw[o + 3]) * ANCHORS[a][1] * unit;
        boxes.push(new faceapi.BoundingBox(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2));
        scores.push(score);
      }
    }
  }
  const keep = faceapi.nonMaxSuppression(boxes, scores, IOU_THRESHOLD, true);
  return keep.map((i) => {
    const b = boxes[i];
    return new faceapi.FaceDetection(scores[i], new faceapi.Rect(b.x / W, b.y / H, b.width / W, b.height / H), { width: W, height: H });
  });
}
