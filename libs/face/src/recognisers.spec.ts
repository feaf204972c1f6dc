import { chipAffine } from './analyser';
import { arcFaceAffine, fivePoints, RECOGNISERS } from './recognisers';

const TEMPLATE: [number, number][] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** Where tf.image.transform samples the frame for chip pixel (u, v). */
const apply = (m: number[], [u, v]: [number, number]): [number, number] => [m[0] * u + m[1] * v + m[2], m[3] * u + m[4] * v + m[5]];

describe('arcFaceAffine', () => {
  it('is the identity when the points already sit on the template', () => {
    const m = arcFaceAffine(TEMPLATE);
    [1, 0, 0, 0, 1, 0, 0, 0].forEach((x, i) => expect(m[i]).toBeCloseTo(x, 9));
  });
  it('recovers an exact similarity (scale, rotation, shift)', () => {
    const s = 2.5;
    const th = 0.3;
    const [tx, ty] = [200, 120];
    const pts = TEMPLATE.map(([u, v]): [number, number] => [s * (Math.cos(th) * u - Math.sin(th) * v) + tx, s * (Math.sin(th) * u + Math.cos(th) * v) + ty]);
    const m = arcFaceAffine(pts);
    TEMPLATE.forEach((t, i) => {
      const [x, y] = apply(m, t);
      expect(x).toBeCloseTo(pts[i][0], 6);
      expect(y).toBeCloseTo(pts[i][1], 6);
    });
  });
  it('scales the template to other chip sizes', () => {
    const m = arcFaceAffine(TEMPLATE, 224);
    const [x, y] = apply(m, [2 * TEMPLATE[0][0], 2 * TEMPLATE[0][1]]);
    expect(x).toBeCloseTo(TEMPLATE[0][0], 6);
    expect(y).toBeCloseTo(TEMPLATE[0][1], 6);
  });
  it('refuses a wrong number of points', () => {
    expect(() => arcFaceAffine(TEMPLATE.slice(0, 4))).toThrow(RangeError);
  });
});

describe('fivePoints', () => {
  it('takes the eye centroids, nose tip and mouth corners of the 68 landmarks', () => {
    const lm = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    expect(fivePoints(lm)).toEqual([
      [38.5, 77],
      [44.5, 89],
      [30, 60],
      [48, 96],
      [54, 108],
    ]);
    expect(() => fivePoints(lm.slice(1))).toThrow(RangeError);
  });
});

describe('chipAffine', () => {
  const box = { x: 100, y: 50, width: 80, height: 60 };
  it('maps the chip onto the square around the box centre, side = longer edge × scale', () => {
    // Pixel centres: the chip's first and last pixels sit half a chip-pixel inside the square's edges.
    const m = chipAffine(box, 0, 150);
    const half = (80 / 150) * 74.5;
    expect(apply(m, [0, 0])).toEqual([140 - half, 80 - half].map((x) => expect.closeTo(x, 9)));
    expect(apply(m, [149, 149])).toEqual([140 + half, 80 + half].map((x) => expect.closeTo(x, 9)));
    const wide = chipAffine(box, 0, 112, 0, 0, 1.5);
    const [cx, cy] = apply(wide, [55.5, 55.5]);
    expect(cx).toBeCloseTo(140, 9);
    expect(cy).toBeCloseTo(80, 9);
    expect(wide[0]).toBeCloseTo((80 * 1.5) / 112, 12);
  });
  it('rotates about the centre and shifts by a fraction of the side', () => {
    const m = chipAffine(box, 90, 100, 0.1, 0);
    const [cx, cy] = apply(m, [49.5, 49.5]);
    expect(cx).toBeCloseTo(148, 9);
    expect(cy).toBeCloseTo(80, 9);
    expect(m[0]).toBeCloseTo(0, 12);
    expect(m[3]).toBeCloseTo(0.8, 12);
  });
});

describe('RECOGNISERS', () => {
  it('names each candidate once and gives it a usable chip', () => {
    expect(new Set(RECOGNISERS.map((r) => r.name)).size).toBe(RECOGNISERS.length);
    for (const r of RECOGNISERS) {
      expect(r.inputSize).toBeGreaterThan(0);
      expect(r.margin).toBeGreaterThan(0);
    }
  });
});
