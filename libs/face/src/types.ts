import type { Box, Point, PoseEstimate } from './quality';

export type { Box, PoseEstimate, Point } from './quality';
import type { PassiveLivenessScores } from './passive-liveness';

export const DESCRIPTOR_LENGTH = 128;

export type DetectorName = 'tiny' | 'ssd';
export type DetectionPass = DetectorName | 'tiny-large';

/** One face found in an image. Geometry is in the uploaded image's upright pixels. */
export interface FaceObservation {
  box: Box;
  /** Detector confidence, 0–1. */
  score: number;
  detector: DetectorName;
  pose: PoseEstimate;
  /** Laplacian variance on a 112×112 grey chip of the face (higher = sharper). */
  sharpness: number;
  /** Mean luma of the face chip, 0–255. */
  brightness: number;
  /** face-api's 68 landmarks (iBUG order), upload pixels: what the active challenge reads. */
  landmarks: Point[];
}

export interface AnalysisTimings {
  /** Time spent waiting for a free worker. */
  queueMs: number;
  decodeMs: number;
  detectMs: number;
  describeMs: number;
  /** Passive liveness nets (0 when not run). */
  livenessMs: number;
  /** Wall time from the call to the answer. */
  totalMs: number;
}

export interface ImageAnalysis {
  width: number;
  height: number;
  faces: FaceObservation[];
  /** Descriptor of the face when exactly one was found; otherwise null (nothing to compare). */
  descriptor: Float32Array | null;
  /** Whether the descriptor is the mean of the face's and its mirror image's (always for analyse/enrol; verify may skip it). */
  mirrored: boolean;
  /** Passes that ran, in order: ['tiny'] on the fast path, ['tiny','ssd'] after a fallback, then 'tiny-large' (once per size tried) if still nothing. */
  detectorsRun: DetectionPass[];
  timings: AnalysisTimings;
  /** Passive liveness scores of the single face, when asked for and the nets are loaded. */
  liveness: PassiveLivenessScores | null;
  /** Live tfjs tensors in the worker after the job — constant over time unless something leaks. */
  liveTensors: number;
}

export interface EnrolmentQuality {
  /** 0–1 summary for ranking several references of one person; the gates, not this number, decide acceptance. */
  score: number;
  faceSize: number;
  confidence: number;
  pose: PoseEstimate;
  sharpness: number;
  brightness: number;
}

export type { EnrolmentRejectionCode } from './rejections';
