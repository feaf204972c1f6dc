/**
 * The rectangular SSD MobileNet v1 must find what face-api's own (square-padded) call finds: same
 * faces, boxes within a pixel or two, scores within a few hundredths; and its prior boxes for a
 * 512×512 input must be face-api's own, row for row. Real photos from the fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import { FIXTURE_DIR, noFaceImage, webcamFrame } from '../test-support/variants';
import { decodeImage } from './image-intake';
import { defaultModelsDir, loadModels, loadRuntime, tfOf } from './runtime';
import { detectSsdFaces, priorBoxes, readAnchorSizes } from './ssd-rect-detector';

const LIMITS = { maxBytes: 20_000_000, maxPixels: 40_000_000, maxSide: 640 };
let faceapi: typeof FaceApi;

beforeAll(async () => {
  faceapi = (await loadRuntime('wasm')).faceapi;
  await loadModels(faceapi, defaultModelsDir());
}, 60_000);

const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURE_DIR, name));
const byScore = (a: FaceApi.FaceDetection, b: FaceApi.FaceDetection): number => b.score - a.score;

async function both(bytes: Buffer): Promise<{ ours: FaceApi.FaceDetection[]; theirs: FaceApi.FaceDetection[]; width: number }> {
  const img = await decodeImage(bytes, LIMITS);
  const input = tfOf(faceapi).tensor3d(img.data, [img.height, img.width, 3], 'int32') as unknown as FaceApi.tf.Tensor3D;
  try {
    const ours = (await detectSsdFaces(faceapi, input, 0.5, 10)).sort(byScore);
    const theirs = (await faceapi.detectAllFaces(input, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 10 }))).sort(byScore);
    return { ours, theirs, width: img.width };
  } finally {
    input.dispose();
  }
}

function expectSame(ours: FaceApi.FaceDetection[], theirs: FaceApi.FaceDetection[], scoreTol: number, pxTol: number): void {
  expect(ours).toHaveLength(theirs.length);
  ours.forEach((o, i) => {
    expect(Math.abs(o.score - theirs[i].score)).toBeLessThanOrEqual(scoreTol);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(o.box[k] - theirs[i].box[k])).toBeLessThanOrEqual(pxTol);
  });
}

describe('detectSsdFaces (SSD MobileNet v1 without square padding)', () => {
  it('lays out prior boxes for 512×512 exactly as face-api ships them', async () => {
    const params = (faceapi.nets.ssdMobilenetv1 as unknown as { params: { output_layer: { extra_dim: { data(): Promise<Float32Array> } } } }).params;
    const shipped = await params.output_layer.extra_dim.data();
    const ours = priorBoxes(readAnchorSizes(shipped), 512, 512);
    expect(ours.length).toBe(shipped.length);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - shipped[i]));
    expect(worst).toBeLessThan(1e-5);
    // 640×480 → 512×384: the same anchors on a 32×24 … 1×1 set of grids.
    expect(priorBoxes(readAnchorSizes(shipped), 384, 512).length / 4).toBe(32 * 24 * 3 + (16 * 12 + 8 * 6 + 4 * 3 + 2 * 2 + 1) * 6);
  });

  it('finds the same small and larger faces as face-api in 640×480 captures', async () => {
    const photo = fixture('kit-2.jpg');
    const located = (await both(photo)).theirs[0].box;
    const s = (await decodeImage(photo, { ...LIMITS, maxSide: 100_000 })).width / (await decodeImage(photo, LIMITS)).width;
    for (const faceWidth of [120, 56]) {
      const r = await both(await webcamFrame(photo, { x: located.x * s, y: located.y * s, width: located.width * s, height: located.height * s }, faceWidth));
      expect(r.width).toBe(640);
      expect(r.theirs).toHaveLength(1);
      expectSame(r.ours, r.theirs, 0.002, 1);
    }
  });

  it('finds the same faces in portrait, landscape and two-person photos', async () => {
    for (const name of ['kit-1.jpg', 'obama-2.jpg', 'rose-1.jpg', 'two-people.jpg']) {
      const r = await both(fixture(name));
      expect(r.ours.length).toBeGreaterThan(0);
      expectSame(r.ours, r.theirs, 0.05, 3);
    }
    expect((await both(fixture('two-people.jpg'))).ours).toHaveLength(2);
  });

  it('finds nothing in a picture without a face, and leaks no tensor', async () => {
    const tf = tfOf(faceapi);
    await both(await noFaceImage());
    const before = tf.memory().numTensors;
    expect((await both(await noFaceImage())).ours).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
