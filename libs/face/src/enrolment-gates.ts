import { EnrolmentRejectionCode, EnrolmentRejections } from './rejections';
import type { EnrolmentQuality, FaceObservation } from './types';

export interface EnrolmentThresholds {
  /** Smallest face width in the uploaded image's pixels. */
  minFaceSize: number;
  minConfidence: number;
  maxAbsYaw: number;
  maxAbsRoll: number;
  minPitch: number;
  maxPitch: number;
  minSharpness: number;
  minBrightness: number;
  maxBrightness: number;
}

/** Defaults measured on the fixtures and on sharp-made bad inputs; see libs/face/README.md. */
export const DEFAULT_ENROLMENT_THRESHOLDS: EnrolmentThresholds = {
  minFaceSize: 48,
  minConfidence: 0.6,
  maxAbsYaw: 0.3,
  maxAbsRoll: 20,
  minPitch: 0.3,
  maxPitch: 0.8,
  minSharpness: 60,
  minBrightness: 55,
  maxBrightness: 215,
};

export interface EnrolmentRejection {
  code: EnrolmentRejectionCode;
  message: string;
  /** The measured value and the limit it missed, for logs and the UI. */
  details?: Record<string, unknown>;
}

function reject(code: EnrolmentRejectionCode, details?: Record<string, unknown>): EnrolmentRejection {
  return { code, message: EnrolmentRejections[code], details };
}

/**
 * The gates in the order a person should fix things: presence first, then framing, then pose,
 * then capture quality — telling someone to hold still is pointless while they face sideways.
 */
export function assessEnrolment(faces: FaceObservation[], t: EnrolmentThresholds = DEFAULT_ENROLMENT_THRESHOLDS): EnrolmentRejection | null {
  if (faces.length === 0) return reject('FACE_NONE');
  if (faces.length > 1) return reject('FACE_MULTIPLE', { faces: faces.length });
  const f = faces[0];
  const size = Math.min(f.box.width, f.box.height);
  if (size < t.minFaceSize) return reject('FACE_TOO_SMALL', { faceSize: Math.round(size), min: t.minFaceSize });
  if (f.score < t.minConfidence) return reject('FACE_LOW_CONFIDENCE', { confidence: round(f.score), min: t.minConfidence });
  const { yaw, pitch, roll } = f.pose;
  if (Math.abs(yaw) > t.maxAbsYaw || Math.abs(roll) > t.maxAbsRoll || pitch < t.minPitch || pitch > t.maxPitch) {
    return reject('FACE_NOT_FRONTAL', { yaw: round(yaw), pitch: round(pitch), roll: round(roll) });
  }
  if (f.brightness < t.minBrightness) return reject('FACE_TOO_DARK', { brightness: round(f.brightness), min: t.minBrightness });
  if (f.brightness > t.maxBrightness) return reject('FACE_TOO_BRIGHT', { brightness: round(f.brightness), max: t.maxBrightness });
  if (f.sharpness < t.minSharpness) return reject('FACE_BLURRED', { sharpness: round(f.sharpness), min: t.minSharpness });
  return null;
}

/** A 0–1 figure of merit, each factor saturating at a comfortable margin above its gate. */
export function enrolmentQuality(f: FaceObservation, t: EnrolmentThresholds = DEFAULT_ENROLMENT_THRESHOLDS): EnrolmentQuality {
  const size = Math.min(f.box.width, f.box.height);
  const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));
  const sizeF = clamp01(size / (2 * t.minFaceSize));
  const poseF = clamp01(1 - Math.abs(f.pose.yaw) / (2 * t.maxAbsYaw)) * clamp01(1 - Math.abs(f.pose.roll) / (2 * t.maxAbsRoll));
  const sharpF = clamp01(f.sharpness / (4 * t.minSharpness));
  const mid = (t.minBrightness + t.maxBrightness) / 2;
  const lightF = clamp01(1 - Math.abs(f.brightness - mid) / (t.maxBrightness - mid));
  const score = Math.cbrt(sizeF * f.score * poseF) * 0.6 + ((sharpF + lightF) / 2) * 0.4;
  return {
    score: round(score),
    faceSize: Math.round(size),
    confidence: round(f.score),
    pose: { yaw: round(f.pose.yaw), pitch: round(f.pose.pitch), roll: round(f.pose.roll) },
    sharpness: round(f.sharpness),
    brightness: round(f.brightness),
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
