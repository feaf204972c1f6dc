/**
 * The active liveness challenge, decided from face-api's 68 landmarks (iBUG numbering) across a short
 * burst of frames: the server asks for one random action and the burst must show it. Pure functions.
 *
 * Why landmarks defeat a held-up picture: a flat photo or screen tilted, turned or moved in front of
 * the camera is (nearly) an affine map of itself, and an affine map keeps ratios of lengths along one
 * line and ratios of areas. Yaw is the first kind (nose offset along the eye line / eye distance) and
 * the openings the decision reads: the areas of the eye and inner-lip outlines over the eye–eye–nose triangle's
 * (an affine map scales every area by the same factor). The classic eye and mouth aspect
 * ratios (gap / width) are NOT: squeezing a photo sideways (turning it about its vertical axis) raises
 * them by 1/squeeze — a turned photo would "blink" (the spec shows it). They are still reported for
 * auditors, who know them. A real head turning, blinking or opening its mouth changes the ratios; a
 * burst of identical frames changes nothing at all.
 */
import { estimatePose, type Point } from './quality';

export const CHALLENGE_ACTIONS = ['turn-left', 'turn-right', 'blink', 'open-mouth'] as const;
export type ChallengeAction = (typeof CHALLENGE_ACTIONS)[number];

/** What the console shows the person (zh-CN). "Left" is the person's own left. */
export const CHALLENGE_PROMPTS: Record<ChallengeAction, string> = {
  'turn-left': '请缓慢向左转头，再转回正面',
  'turn-right': '请缓慢向右转头，再转回正面',
  blink: '请正视摄像头并眨眼',
  'open-mouth': '请正视摄像头并张嘴，再闭上',
};

export const CHALLENGE_FAILURES = {
  CHALLENGE_BURST_TOO_SHORT: '动作核验需要连续多帧画面，请按提示重新完成动作',
  CHALLENGE_FACE_LOST: '动作过程中未能持续检测到唯一人脸，请正对摄像头重新完成动作',
  CHALLENGE_FROZEN: '连续画面完全相同，疑似静止图像或重放，动作核验不通过',
  CHALLENGE_NOT_PERFORMED: '未检测到要求的动作，动作核验不通过',
} as const;
export type ChallengeFailureCode = keyof typeof CHALLENGE_FAILURES;

export interface ChallengeThresholds {
  /** Frames needed in a burst. */
  minFrames: number;
  /** |yaw| at or below this counts as facing the camera (the burst must start or end there). */
  frontalYaw: number;
  /** Yaw the turn must reach, in the asked direction… */
  turnYaw: number;
  /** …having swung at least this far from the burst's most frontal frame. */
  turnSwing: number;
  /** A blink: the eye opening ({@link eyeOpening}) falls to at most this fraction of its open value… */
  blinkRatio: number;
  /** …from an open value at least this large (a squint or a photo of closed eyes never opens). */
  openEye: number;
  /** Mouth opening ({@link mouthOpening}) of an open mouth… */
  openMouth: number;
  /** …and of a closed one, seen in another frame of the burst. */
  closedMouth: number;
}

/**
 * Defaults: frontal |yaw| ≤ 0.15 (the fixtures' frontal photos read 0.0–0.15; kit-2, slightly turned,
 * 0.26), a turn reaches 0.2 and swings ≥ 0.2 from the frontal frame (a real 30° turn reads ~0.5; a flat
 * picture moved about swings < 0.05, landmark noise); a blink drops the eye opening to
 * ≤ 0.65 of open — the literature's EAR cut (~0.2 of ~0.3 open) as a ratio; open eyes read ≥ 0.1; a
 * closed mouth ≤ 0.1, an open one ≥ 0.35 (a typical face: eye area ≈ 0.05, triangle ≈ 0.3, an open
 * mouth ≈ 0.2 eye distances²).
 */
export const DEFAULT_CHALLENGE_THRESHOLDS: ChallengeThresholds = {
  minFrames: 4,
  frontalYaw: 0.15,
  turnYaw: 0.2,
  turnSwing: 0.2,
  blinkRatio: 0.65,
  openEye: 0.1,
  openMouth: 0.35,
  closedMouth: 0.1,
};

/** One frame of a burst as the engine saw it. */
export interface BurstFrame {
  /** Faces found (the challenge needs exactly one in every frame). */
  faces: number;
  /** The face's 68 landmarks when there was exactly one. */
  landmarks?: readonly Point[];
  /** Perceptual hash of the frame (hex), to tell a frozen burst from a live one. */
  hash?: string;
}

export interface FrameMeasures {
  yaw: number;
  /** {@link eyeOpening} and {@link mouthOpening}: what the decision reads. */
  eye: number;
  mouth: number;
  /** The classic aspect ratios, for auditors (not affine-safe, see above). */
  ear: number;
  mar: number;
}

export interface ChallengeDecision {
  action: ChallengeAction;
  passed: boolean;
  code?: ChallengeFailureCode;
  message?: string;
  /** Per frame, for auditors: what the decision read. */
  measures: FrameMeasures[];
}

const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

function eyeAr(p: readonly Point[], from: number): number {
  // Soukupová & Čech: (|p2−p6| + |p3−p5|) / (2 |p1−p4|) over the six points of one eye.
  const e = p.slice(from, from + 6);
  return (dist(e[1], e[5]) + dist(e[2], e[4])) / (2 * (dist(e[0], e[3]) || 1));
}

/** Mean eye aspect ratio of both eyes (36–41, 42–47): ~0.3 open, < 0.2 closed. */
export function eyeAspectRatio(landmarks68: readonly Point[]): number {
  assert68(landmarks68);
  return (eyeAr(landmarks68, 36) + eyeAr(landmarks68, 42)) / 2;
}

/** Inner-lip opening over mouth width (61–67 / 63–65 vs 60–64): ~0–0.1 closed, > 0.5 wide open. */
export function mouthAspectRatio(landmarks68: readonly Point[]): number {
  assert68(landmarks68);
  const p = landmarks68;
  return (dist(p[61], p[67]) + dist(p[62], p[66]) + dist(p[63], p[65])) / (2 * (dist(p[60], p[64]) || 1));
}

/** Shoelace area of a polygon. */
function area(pts: readonly Point[]): number {
  let a = 0;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i];
    const q = pts[(i + 1) % pts.length];
    a += p.x * q.y - q.x * p.y;
  }
  return Math.abs(a) / 2;
}

const centre = (pts: readonly Point[]): Point => ({ x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length });

/** Area of the triangle eye centre – eye centre – nose tip: the face's own unit of area. */
function faceUnit(p: readonly Point[]): number {
  return area([centre(p.slice(36, 42)), centre(p.slice(42, 48)), p[30]]) || 1;
}

/**
 * Mean area of the two eye outlines (36–41, 42–47) over the eye–eye–nose-tip triangle's: ~0.15–0.3 open,
 * near 0 closed. A ratio of areas, so any affine map of the face (a flat picture moved) keeps it exactly.
 */
export function eyeOpening(landmarks68: readonly Point[]): number {
  assert68(landmarks68);
  return (area(landmarks68.slice(36, 42)) + area(landmarks68.slice(42, 48))) / 2 / faceUnit(landmarks68);
}

/** Area inside the inner lips (60–67) over the same triangle's: near 0 closed, ≥ 0.5 wide open. Affine-invariant. */
export function mouthOpening(landmarks68: readonly Point[]): number {
  assert68(landmarks68);
  return area(landmarks68.slice(60, 68)) / faceUnit(landmarks68);
}

/**
 * Yaw as the engine's pose gate measures it (nose offset from the eye midline / eye distance), signed
 * for the person: positive when they turn to their own left — in an unmirrored camera frame their nose
 * moves towards the image's right.
 */
export function yawOf(landmarks68: readonly Point[]): number {
  assert68(landmarks68);
  return estimatePose(landmarks68 as Point[]).yaw;
}

export function frameMeasures(landmarks68: readonly Point[]): FrameMeasures {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return {
    yaw: r(yawOf(landmarks68)),
    eye: r(eyeOpening(landmarks68)),
    mouth: r(mouthOpening(landmarks68)),
    ear: r(eyeAspectRatio(landmarks68)),
    mar: r(mouthAspectRatio(landmarks68)),
  };
}

function assert68(p: readonly Point[]): void {
  if (p.length !== 68) throw new RangeError(`expected 68 landmarks, got ${p.length}`);
}

/** A random action for the next challenge; `random()` in [0, 1). */
export function drawChallenge(random: () => number): ChallengeAction {
  return CHALLENGE_ACTIONS[Math.min(CHALLENGE_ACTIONS.length - 1, Math.floor(random() * CHALLENGE_ACTIONS.length))];
}

/**
 * Whether the burst shows the asked action. `sameFrame(a, b)` says whether two frame hashes are the
 * same picture (bits within the replay tolerance); a burst in which every frame equals the one before
 * is frozen whatever its landmarks say.
 */
export function decideChallenge(
  action: ChallengeAction,
  frames: readonly BurstFrame[],
  sameFrame: (a: string, b: string) => boolean,
  t: ChallengeThresholds = DEFAULT_CHALLENGE_THRESHOLDS,
): ChallengeDecision {
  const fail = (code: ChallengeFailureCode, measures: FrameMeasures[] = []): ChallengeDecision => ({ action, passed: false, code, message: CHALLENGE_FAILURES[code], measures });
  if (frames.length < t.minFrames) return fail('CHALLENGE_BURST_TOO_SHORT');
  const hashes = frames.map((f) => f.hash);
  if (hashes.every((h): h is string => typeof h === 'string') && hashes.slice(1).every((h, i) => sameFrame(hashes[i], h))) return fail('CHALLENGE_FROZEN');
  if (frames.some((f) => f.faces !== 1 || f.landmarks?.length !== 68)) return fail('CHALLENGE_FACE_LOST');
  const measures = frames.map((f) => frameMeasures(f.landmarks!));
  return performed(action, measures, t) ? { action, passed: true, measures } : fail('CHALLENGE_NOT_PERFORMED', measures);
}

function performed(action: ChallengeAction, m: readonly FrameMeasures[], t: ChallengeThresholds): boolean {
  const yaws = m.map((x) => x.yaw);
  const front = yaws.reduce((best, y) => (Math.abs(y) < Math.abs(best) ? y : best), yaws[0]);
  const frontal = Math.abs(front) <= t.frontalYaw;
  switch (action) {
    case 'turn-left': {
      const most = Math.max(...yaws);
      return frontal && most >= t.turnYaw && most - front >= t.turnSwing;
    }
    case 'turn-right': {
      const most = Math.min(...yaws);
      return frontal && most <= -t.turnYaw && front - most >= t.turnSwing;
    }
    case 'blink': {
      const eyes = m.map((x) => x.eye);
      const open = Math.max(...eyes);
      return frontal && open >= t.openEye && Math.min(...eyes) <= open * t.blinkRatio;
    }
    case 'open-mouth': {
      const mouths = m.map((x) => x.mouth);
      return frontal && Math.max(...mouths) >= t.openMouth && Math.min(...mouths) <= t.closedMouth;
    }
  }
}
