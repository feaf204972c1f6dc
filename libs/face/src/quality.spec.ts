import { estimatePose, greyChip, laplacianVariance, meanOf, Point } from './quality';

/** A frontal 68-point layout: eyes level at y=100, nose tip on the midline, mouth below. */
function frontalLandmarks(): Point[] {
  const pts: Point[] = Array.from({ length: 68 }, () => ({ x: 100, y: 130 }));
  for (let i = 36; i < 42; i++) pts[i] = { x: 70 + (i - 36), y: 100 };
  for (let i = 42; i < 48; i++) pts[i] = { x: 125 + (i - 42), y: 100 };
  for (let i = 48; i < 68; i++) pts[i] = { x: 100 + ((i % 2) * 2 - 1) * 15, y: 160 };
  pts[30] = { x: 100, y: 130 };
  return pts;
}

function rotate(points: Point[], deg: number): Point[] {
  const r = (deg * Math.PI) / 180;
  return points.map((p) => ({ x: p.x * Math.cos(r) - p.y * Math.sin(r), y: p.x * Math.sin(r) + p.y * Math.cos(r) }));
}

describe('estimatePose', () => {
  it('reads a symmetric face as frontal', () => {
    const p = estimatePose(frontalLandmarks());
    expect(Math.abs(p.yaw)).toBeLessThan(0.02);
    expect(Math.abs(p.roll)).toBeLessThan(0.5);
    expect(p.pitch).toBeCloseTo(0.5, 1);
  });

  it('reads a nose pushed towards one eye as yaw, with the sign of the side', () => {
    const pts = frontalLandmarks();
    pts[30] = { x: 118, y: 130 };
    expect(estimatePose(pts).yaw).toBeGreaterThan(0.3);
    pts[30] = { x: 82, y: 130 };
    expect(estimatePose(pts).yaw).toBeLessThan(-0.3);
  });

  it('separates roll from yaw: a tilted frontal face has roll but no yaw', () => {
    const p = estimatePose(rotate(frontalLandmarks(), 30));
    expect(p.roll).toBeCloseTo(30, 0);
    expect(Math.abs(p.yaw)).toBeLessThan(0.02);
  });

  it('refuses a landmark set that is not the 68-point layout', () => {
    expect(() => estimatePose(frontalLandmarks().slice(0, 5))).toThrow(/68/);
  });
});

describe('laplacianVariance', () => {
  it('is zero on a flat patch and on a linear ramp (no edges)', () => {
    expect(laplacianVariance(new Float32Array(64).fill(90), 8, 8)).toBe(0);
    const ramp = Float32Array.from({ length: 64 }, (_, i) => (i % 8) * 10);
    expect(laplacianVariance(ramp, 8, 8)).toBeCloseTo(0, 6);
  });

  it('is large on fine detail and drops when the same detail is smoothed', () => {
    const sharp = Float32Array.from({ length: 16 * 16 }, (_, i) => (((i % 16) + Math.floor(i / 16)) % 2) * 200);
    const soft = Float32Array.from({ length: 16 * 16 }, (_, i) => 100 + 20 * Math.sin(((i % 16) / 16) * Math.PI));
    expect(laplacianVariance(sharp, 16, 16)).toBeGreaterThan(100 * laplacianVariance(soft, 16, 16));
  });
});

describe('greyChip', () => {
  it('resamples the box to a fixed square of BT.601 luma', () => {
    const width = 20;
    const height = 10;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) data.set([255, 0, 0], i * 3);
    const chip = greyChip({ data, width, height }, { x: 2, y: 2, width: 10, height: 5 }, 8);
    expect(chip.length).toBe(64);
    expect(meanOf(chip)).toBeCloseTo(0.299 * 255, 3);
  });

  it('clips a box that runs off the image instead of reading outside it', () => {
    const data = new Uint8Array(4 * 4 * 3).fill(100);
    const chip = greyChip({ data, width: 4, height: 4 }, { x: -10, y: -10, width: 50, height: 50 }, 6);
    expect(Array.from(chip).every((v) => Math.abs(v - 100) < 1e-3)).toBe(true);
  });
});
