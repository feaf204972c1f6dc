import {
  BurstFrame,
  CHALLENGE_ACTIONS,
  CHALLENGE_PROMPTS,
  decideChallenge,
  DEFAULT_CHALLENGE_THRESHOLDS,
  drawChallenge,
  eyeAspectRatio,
  eyeOpening,
  mouthAspectRatio,
  mouthOpening,
  yawOf,
} from './active-challenge';
import type { Point } from './quality';

/** A frontal 68-point face (iBUG layout), eyes 60 px apart, in image pixels. */
function face(opts: { noseShift?: number; eyeOpen?: number; mouthOpen?: number } = {}): Point[] {
  const { noseShift = 0, eyeOpen = 1, mouthOpen = 0 } = opts;
  const p: Point[] = Array.from({ length: 68 }, () => ({ x: 0, y: 0 }));
  for (let i = 0; i <= 16; i++) {
    const a = Math.PI * (i / 16);
    p[i] = { x: 200 - 70 * Math.cos(a), y: 200 + 80 * Math.sin(a) - 20 };
  }
  for (let i = 17; i <= 26; i++) p[i] = { x: 140 + (i - 17) * 13, y: 160 };
  for (let i = 27; i <= 30; i++) p[i] = { x: 200 + (noseShift * (i - 26)) / 4, y: 170 + (i - 27) * 10 };
  for (let i = 31; i <= 35; i++) p[i] = { x: 190 + (i - 31) * 5 + noseShift * 0.8, y: 205 };
  const eye = (from: number, cx: number) => {
    const h = 5 * eyeOpen;
    const pts = [
      [cx - 12, 180],
      [cx - 4, 180 - h],
      [cx + 4, 180 - h],
      [cx + 12, 180],
      [cx + 4, 180 + h],
      [cx - 4, 180 + h],
    ];
    pts.forEach(([x, y], k) => (p[from + k] = { x, y }));
  };
  eye(36, 170);
  eye(42, 230);
  // Outer lip 48–59, inner lip 60–67: corners at 175 / 225, opening grows downwards.
  const open = 25 * mouthOpen;
  for (let k = 0; k < 12; k++) {
    const a = (2 * Math.PI * k) / 12;
    p[48 + k] = { x: 200 - 25 * Math.cos(a), y: 235 - 8 * Math.sin(a) + (Math.sin(a) < 0 ? open : 0) };
  }
  const inner: [number, number][] = [
    [180, 235],
    [190, 234],
    [200, 234],
    [210, 234],
    [220, 235],
    [210, 235 + open],
    [200, 235 + open],
    [190, 235 + open],
  ];
  inner.forEach(([x, y], k) => (p[60 + k] = { x, y }));
  return p;
}

/** The same face seen as a flat picture tilted / turned in front of the camera: an affine map of it. */
const affine = (pts: Point[], [a, b, c, d, tx, ty]: number[]): Point[] => pts.map(({ x, y }) => ({ x: a * x + b * y + tx, y: c * x + d * y + ty }));

let hashNo = 0;
const frame = (landmarks: Point[]): BurstFrame => ({ faces: 1, landmarks, hash: `h${hashNo++}` });
const same = (a: string, b: string) => a === b;

describe('landmark measures', () => {
  it('eye aspect ratio: open ≈ 0.42 on this template, ~0 closed', () => {
    expect(eyeAspectRatio(face())).toBeCloseTo(10 / 24, 2);
    expect(eyeAspectRatio(face({ eyeOpen: 0.1 }))).toBeLessThan(0.05);
  });

  it('mouth aspect ratio and opening grow with the opening', () => {
    expect(mouthAspectRatio(face())).toBeLessThan(0.2);
    expect(mouthAspectRatio(face({ mouthOpen: 1 }))).toBeGreaterThan(0.5);
    expect(mouthOpening(face())).toBeLessThan(DEFAULT_CHALLENGE_THRESHOLDS.closedMouth);
    expect(mouthOpening(face({ mouthOpen: 1 }))).toBeGreaterThan(DEFAULT_CHALLENGE_THRESHOLDS.openMouth);
  });

  it('yaw: 0 frontal, positive when the nose moves to the image right (the person turns to their left)', () => {
    expect(yawOf(face())).toBeCloseTo(0, 5);
    expect(yawOf(face({ noseShift: 24 }))).toBeCloseTo(0.4, 2);
    expect(yawOf(face({ noseShift: -24 }))).toBeCloseTo(-0.4, 2);
  });

  it('yaw and the openings are unchanged by an affine map (a flat picture moved in front of the camera); the aspect ratios are not', () => {
    const f = face({ noseShift: 6, mouthOpen: 0.3 });
    for (const m of [
      [0.7, 0, 0, 1, 40, 0], // turned about the vertical axis: foreshortened
      [0.96, -0.26, 0.26, 0.96, 10, -30], // rotated 15°
      [1.3, 0, 0, 1.3, -60, -60], // brought closer
    ]) {
      const g = affine(f, m);
      expect(yawOf(g)).toBeCloseTo(yawOf(f), 6);
      expect(eyeOpening(g)).toBeCloseTo(eyeOpening(f), 6);
      expect(mouthOpening(g)).toBeCloseTo(mouthOpening(f), 6);
    }
    // Foreshortened to 0.6 of its width, the photo's EAR rises by 1/0.6: a decision on EAR would see a blink.
    expect(eyeAspectRatio(affine(f, [0.6, 0, 0, 1, 0, 0])) / eyeAspectRatio(f)).toBeCloseTo(1 / 0.6, 3);
  });

  it('refuses anything but 68 points', () => {
    expect(() => yawOf(face().slice(0, 67))).toThrow(RangeError);
  });
});

describe('decideChallenge', () => {
  const turn = (sign: number) => [0, 8, 16, 24, 8].map((s) => frame(face({ noseShift: sign * s })));

  it('a head turn to the asked side passes; the other side, or no turn, does not', () => {
    expect(decideChallenge('turn-left', turn(1), same)).toMatchObject({ passed: true });
    expect(decideChallenge('turn-right', turn(-1), same)).toMatchObject({ passed: true });
    expect(decideChallenge('turn-right', turn(1), same)).toMatchObject({ passed: false, code: 'CHALLENGE_NOT_PERFORMED' });
    expect(decideChallenge('turn-left', [0, 2, 4, 6].map((s) => frame(face({ noseShift: s }))), same)).toMatchObject({ passed: false });
  });

  it('a turn must pass through the frontal pose (a face already turned the whole time is a turned photo)', () => {
    const allTurned = [22, 24, 26, 24].map((s) => frame(face({ noseShift: s })));
    expect(decideChallenge('turn-left', allTurned, same)).toMatchObject({ passed: false, code: 'CHALLENGE_NOT_PERFORMED' });
  });

  it('a blink passes only with eyes open in some frame and closed in another', () => {
    const blink = [1, 1, 0.2, 1].map((e) => frame(face({ eyeOpen: e })));
    expect(decideChallenge('blink', blink, same)).toMatchObject({ passed: true });
    const squint = [0.3, 0.3, 0.1, 0.3].map((e) => frame(face({ eyeOpen: e })));
    expect(decideChallenge('blink', squint, same)).toMatchObject({ passed: false });
    const staring = [1, 1, 0.9, 1].map((e) => frame(face({ eyeOpen: e })));
    expect(decideChallenge('blink', staring, same)).toMatchObject({ passed: false });
  });

  it('an open mouth passes only when it is closed in another frame too', () => {
    expect(decideChallenge('open-mouth', [0, 0.5, 1, 0.2].map((m) => frame(face({ mouthOpen: m }))), same)).toMatchObject({ passed: true });
    expect(decideChallenge('open-mouth', [1, 1, 1, 1].map((m) => frame(face({ mouthOpen: m }))), same)).toMatchObject({ passed: false });
  });

  it('a photo tilted, turned and moved in front of the camera performs no action', () => {
    const photo = face({ noseShift: 3 });
    const moves = [
      [1, 0, 0, 1, 0, 0],
      [0.8, 0, 0.05, 1, 30, 0],
      [0.6, 0, 0.1, 1, 60, 5],
      [0.9, -0.2, 0.2, 0.9, 10, 10],
      [1.2, 0, 0, 1.2, -40, -40],
    ];
    const burst = moves.map((m) => frame(affine(photo, m)));
    for (const action of CHALLENGE_ACTIONS) expect({ ...decideChallenge(action, burst, same), action }).toMatchObject({ action, passed: false, code: 'CHALLENGE_NOT_PERFORMED' });
  });

  it('a frozen burst (every frame the same picture) is refused before its landmarks are read', () => {
    const f: BurstFrame = { faces: 1, landmarks: face({ noseShift: 30 }), hash: 'same' };
    expect(decideChallenge('turn-left', [f, f, f, f], same)).toMatchObject({ passed: false, code: 'CHALLENGE_FROZEN', measures: [] });
  });

  it('too few frames, or a frame without exactly one face, fails with its own code and a zh-CN message', () => {
    expect(decideChallenge('blink', turn(1).slice(0, DEFAULT_CHALLENGE_THRESHOLDS.minFrames - 1), same)).toMatchObject({ code: 'CHALLENGE_BURST_TOO_SHORT' });
    const lost = [...turn(1).slice(0, 3), { faces: 0, hash: 'x' }];
    const d = decideChallenge('turn-left', lost, same);
    expect(d).toMatchObject({ passed: false, code: 'CHALLENGE_FACE_LOST' });
    expect(d.message).toMatch(/人脸/);
  });

  it('reports the measures it decided on, per frame', () => {
    const d = decideChallenge('turn-left', turn(1), same);
    expect(d.measures).toHaveLength(5);
    expect(d.measures[3].yaw).toBeCloseTo(0.4, 2);
  });
});

describe('drawChallenge', () => {
  it('draws every action, each with a zh-CN prompt', () => {
    const seen = new Set([0, 0.26, 0.51, 0.76, 0.999].map((r) => drawChallenge(() => r)));
    expect([...seen].sort()).toEqual([...CHALLENGE_ACTIONS].sort());
    for (const a of CHALLENGE_ACTIONS) expect(CHALLENGE_PROMPTS[a]).toMatch(/[\u4e00-\u9fff]/);
  });
});
