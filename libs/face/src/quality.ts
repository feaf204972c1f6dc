/**
 * Pure image-quality measures on the face region, independent of any ML framework, so each gate
 * can be unit-tested with synthetic pixels.
 */
import type { RgbImage } from './image-intake';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Side of the square grey chip the blur/exposure measures are taken on, so they do not depend on face size. */
export const CHIP_SIZE = 112;

/**
 * Bilinear resample of the box (clipped to the image) to a square grey chip, BT.601 luma.
 * A fixed chip size makes the Laplacian variance comparable between a 60 px and a 600 px face.
 */
export function greyChip(img: Pick<RgbImage, 'data' | 'width' | 'height'>, box: Box, size = CHIP_SIZE): Float32Array {
  const out = new Float32Array(size * size);
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(img.width - 1, box.x + box.width);
  const y1 = Math.min(img.height - 1, box.y + box.height);
  const sx = (x1 - x0) / size;
  const sy = (y1 - y0) / size;
  const luma = (x: number, y: number): number => {
    const i = (y * img.width + x) * 3;
    return 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2];
  };
  for (let r = 0; r < size; r++) {
    const fy = y0 + (r + 0.5) * sy;
    const yA = Math.min(img.height - 1, Math.max(0, Math.floor(fy)));
    const yB = Math.min(img.height - 1, yA + 1);
    const wy = fy - yA;
    for (let c = 0; c < size; c++) {
      const fx = x0 + (c + 0.5) * sx;
      const xA = Math.min(img.width - 1, Math.max(0, Math.floor(fx)));
      const xB = Math.min(img.width - 1, xA + 1);
      const wx = fx - xA;
      const top = luma(xA, yA) * (1 - wx) + luma(xB, yA) * wx;
      const bottom = luma(xA, yB) * (1 - wx) + luma(xB, yB) * wx;
      out[r * size + c] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Variance of the 4-neighbour Laplacian: low when edges are soft (motion blur, out of focus). */
export function laplacianVariance(grey: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = grey[i - width] + grey[i + width] + grey[i - 1] + grey[i + 1] - 4 * grey[i];
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

export function meanOf(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length ? s / values.length : 0;
}

export interface PoseEstimate {
  /** Nose offset from the eye midline as a fraction of the eye distance; 0 is frontal, ±0.5 is the nose over one eye. */
  yaw: number;
  /** Nose tip height between the eye line (0) and the mouth line (1); about 0.45–0.65 when looking straight ahead. */
  pitch: number;
  /** Angle of the eye line in degrees. */
  roll: number;
}

function centroid(points: Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

/** Rough head pose from the 68-point iBUG layout (36–41 / 42–47 eyes, 30 nose tip, 48–67 mouth). */
export function estimatePose(landmarks68: Point[]): PoseEstimate {
  if (landmarks68.length !== 68) throw new Error(`expected 68 landmarks, got ${landmarks68.length}`);
  const eyeA = centroid(landmarks68.slice(36, 42));
  const eyeB = centroid(landmarks68.slice(42, 48));
  const mouth = centroid(landmarks68.slice(48, 68));
  const nose = landmarks68[30];
  const ex = eyeB.x - eyeA.x;
  const ey = eyeB.y - eyeA.y;
  const eyeDist = Math.hypot(ex, ey) || 1;
  const roll = (Math.atan2(ey, ex) * 180) / Math.PI;
  // Work in the face's own frame (undo roll) so a tilted but frontal head does not read as yaw.
  const ux = ex / eyeDist;
  const uy = ey / eyeDist;
  const eyeMid = { x: (eyeA.x + eyeB.x) / 2, y: (eyeA.y + eyeB.y) / 2 };
  const along = (p: Point): number => (p.x - eyeMid.x) * ux + (p.y - eyeMid.y) * uy;
  const across = (p: Point): number => -(p.x - eyeMid.x) * uy + (p.y - eyeMid.y) * ux;
  const yaw = along(nose) / eyeDist;
  const mouthDown = across(mouth) || 1;
  const pitch = across(nose) / mouthDown;
  return { yaw, pitch, roll };
}
