import type * as FaceApi from '@vladmandic/face-api';
import type { Tensor as TfTensor, Tensor2D as TfTensor2D, Tensor4D as TfTensor4D } from '@tensorflow/tfjs-core';
import { tfOf } from './runtime';
import { frameGeometry, scaledBatch } from './scaled-batch';

type FaceApiModule = typeof FaceApi;

/** SSD MobileNet v1's fixed input side in face-api; its prior boxes are laid out for it. */
const SSD_SIDE = 512;
/** face-api's NMS IoU for this detector (ssdMobilenetv1/SsdMobilenetv1.ts). */
const IOU_THRESHOLD = 0.5;
/**
 * Prediction layers in face-api's order: stride in input pixels and anchors per cell. At 512×512 the
 * grids are 32, 16, 8, 4, 2, 1 cells — 5118 prior boxes, the rows of `output_layer.extra_dim`.
 */
const LAYERS = [
  { stride: 16, anchors: 3 },
  { stride: 32, anchors: 6 },
  { stride: 64, anchors: 6 },
  { stride: 128, anchors: 6 },
  { stride: 256, anchors: 6 },
  { stride: 512, anchors: 6 },
] as const;
/**
 * Padding to a multiple of 128 keeps every grid up to the 128-px stride even-sized, so those layers
 * see exactly the geometry they were trained on at 512×512; only the two coarsest (faces over ~80 %
 * of the frame) may get an odd grid.
 */
const MULTIPLE = 128;

interface SsdRunner {
  params: { output_layer: { extra_dim: TfTensor } } | undefined;
  forwardInput(input: { toBatchTensor(size: number, centre: boolean): TfTensor4D }): { boxes: TfTensor2D[]; scores: TfTensor[] };
}

/** Per (layer, anchor): height and width as a fraction of 512, read from face-api's own prior boxes. */
let anchorSizes: { h: number; w: number }[][] | null = null;
/** Prior boxes per padded input size (at most 7 sizes: long side 512, short side a multiple of 128). */
const priorsBySize = new Map<string, Float32Array>();

export function readAnchorSizes(priors: Float32Array): { h: number; w: number }[][] {
  const sizes: { h: number; w: number }[][] = [];
  let offset = 0;
  for (const { stride, anchors } of LAYERS) {
    const cells = (SSD_SIDE / stride) ** 2;
    const layer: { h: number; w: number }[] = [];
    for (let a = 0; a < anchors; a++) {
      const o = (offset + a) * 4;
      layer.push({ h: priors[o + 2] - priors[o], w: priors[o + 3] - priors[o + 1] });
    }
    sizes.push(layer);
    offset += cells * anchors;
  }
  if (offset * 4 !== priors.length) throw new Error(`SSD prior boxes: expected ${offset}, found ${priors.length / 4}`);
  return sizes;
}

/**
 * Prior boxes for a padded input of `height`×`width`: the same anchors in pixels as at 512×512 (so the
 * same faces match them), centred on each cell, as [ymin, xmin, ymax, xmax] fractions of this input.
 */
export function priorBoxes(sizes: { h: number; w: number }[][], height: number, width: number): Float32Array {
  const out: number[] = [];
  LAYERS.forEach(({ stride, anchors }, l) => {
    const rows = Math.ceil(height / stride);
    const cols = Math.ceil(width / stride);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cy = ((r + 0.5) * stride) / height;
        const cx = ((c + 0.5) * stride) / width;
        for (let a = 0; a < anchors; a++) {
          const h = (sizes[l][a].h * SSD_SIDE) / height;
          const w = (sizes[l][a].w * SSD_SIDE) / width;
          out.push(cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2);
        }
      }
    }
  });
  return Float32Array.from(out);
}

function iou(b: Float32Array, i: number, j: number): number {
  const [ay0, ax0, ay1, ax1] = [Math.min(b[i * 4], b[i * 4 + 2]), Math.min(b[i * 4 + 1], b[i * 4 + 3]), Math.max(b[i * 4], b[i * 4 + 2]), Math.max(b[i * 4 + 1], b[i * 4 + 3])];
  const [by0, bx0, by1, bx1] = [Math.min(b[j * 4], b[j * 4 + 2]), Math.min(b[j * 4 + 1], b[j * 4 + 3]), Math.max(b[j * 4], b[j * 4 + 2]), Math.max(b[j * 4 + 1], b[j * 4 + 3])];
  const areaA = (ay1 - ay0) * (ax1 - ax0);
  const areaB = (by1 - by0) * (bx1 - bx0);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter = Math.max(Math.min(ay1, by1) - Math.max(ay0, by0), 0) * Math.max(Math.min(ax1, bx1) - Math.max(ax0, bx0), 0);
  return inter / (areaA + areaB - inter);
}

/** face-api's greedy NMS for this detector (ssdMobilenetv1/nonMaxSuppression.ts), on one read of the boxes. */
function suppress(boxes: Float32Array, scores: Float32Array, maxResults: number, minScore: number): number[] {
  const candidates = Array.from(scores, (score, index) => ({ score, index }))
    .filter((c) => c.score > minScore)
    .sort((a, b) => b.score - a.score);
  const kept: number[] = [];
  for (const c of candidates) {
    if (kept.length >= maxResults) break;
    if (kept.every((k) => iou(boxes, c.index, k) <= IOU_THRESHOLD)) kept.push(c.index);
  }
  return kept;
}

/**
 * SSD MobileNet v1 without face-api's square padding: the frame at the scale face-api would give it
 * (long side 512), padded to a multiple of 128 instead of to 512×512, with prior boxes laid out for
 * that grid. A 640×480 capture costs ¾, a 2:1 photo ½ of face-api's call, for the same faces.
 */
export async function detectSsdFaces(faceapi: FaceApiModule, input: FaceApi.tf.Tensor3D, minScore: number, maxResults: number): Promise<FaceApi.FaceDetection[]> {
  const tf = tfOf(faceapi);
  const net = faceapi.nets.ssdMobilenetv1 as unknown as SsdRunner;
  const params = net.params;
  if (!params) throw new Error('SsdMobilenetv1 - load model before inference');
  anchorSizes ??= readAnchorSizes((await params.output_layer.extra_dim.data()) as Float32Array);
  const [height, width] = (input as unknown as { shape: number[] }).shape;
  const g = frameGeometry(height, width, SSD_SIDE, MULTIPLE);
  const key = `${g.paddedHeight}x${g.paddedWidth}`;
  let priorData = priorsBySize.get(key);
  if (!priorData) {
    priorData = priorBoxes(anchorSizes, g.paddedHeight, g.paddedWidth);
    priorsBySize.set(key, priorData);
  }
  const priors = tf.tensor3d(priorData, [1, priorData.length / 4, 4]);
  const squarePriors = params.output_layer;
  let result: { boxes: TfTensor2D[]; scores: TfTensor[] };
  // face-api's forward pass reads the prior boxes from its params: lend it ours for this one synchronous call.
  params.output_layer = { extra_dim: priors };
  try {
    result = net.forwardInput({ toBatchTensor: () => scaledBatch(tf, input as unknown as TfTensor, g) });
  } finally {
    params.output_layer = squarePriors;
    priors.dispose();
  }
  let boxes: Float32Array;
  let scores: Float32Array;
  try {
    boxes = (await result.boxes[0].data()) as Float32Array;
    scores = (await result.scores[0].data()) as Float32Array;
  } finally {
    result.boxes.forEach((t) => t.dispose());
    result.scores.forEach((t) => t.dispose());
  }
  // Fractions of the padded input → fractions of the frame, clipped to the frame as face-api clips to [0, 1].
  const fy = g.paddedHeight / g.scaledHeight;
  const fx = g.paddedWidth / g.scaledWidth;
  return suppress(boxes, scores, maxResults, minScore).map((i) => {
    const top = Math.max(0, boxes[i * 4]) * fy;
    const left = Math.max(0, boxes[i * 4 + 1]) * fx;
    const bottom = Math.min(1, boxes[i * 4 + 2] * fy);
    const right = Math.min(1, boxes[i * 4 + 3] * fx);
    return new faceapi.FaceDetection(scores[i], new faceapi.Rect(left, top, right - left, bottom - top), { width, height });
  });
}
