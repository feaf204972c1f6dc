/**
 * The rectangular TinyFaceDetector must find what face-api's own (square-padded) call finds: same
 * faces, same boxes within a pixel or two, same scores within a few hundredths (only cells whose
 * receptive field reaches the padding band can differ). Real photos from the fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import { FIXTURE_DIR, noFaceImage, webcamFrame } from '../test-support/variants';
import { decodeImage } from './image-intake';
import { defaultModelsDir, loadModels, loadRuntime, tfOf } from './runtime';
import { detectTinyFaces } from './tiny-rect-detector';

const LIMITS = { maxBytes: 20_000_000, maxPixels: 40_000_000, maxSide: 640 };
let faceapi: typeof FaceApi;

beforeAll(async () => {
  faceapi = (await loadRuntime('wasm')).faceapi;
  await loadModels(faceapi, defaultModelsDir());
}, 60_000);

async function both(bytes: Buffer, inputSize = 416): Promise<{ ours: FaceApi.FaceDetection[]; theirs: FaceApi.FaceDetection[]; width: number; height: number }> {
  const img = await decodeImage(bytes, LIMITS);
  const tf = tfOf(faceapi);
  const input = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32') as unknown as FaceApi.tf.Tensor3D;
  try {
    const byScore = (a: FaceApi.FaceDetection, b: FaceApi.FaceDetection): number => b.score - a.score;
    const ours = (await detectTinyFaces(faceapi, input, inputSize, 0.5)).sort(byScore);
    const theirs = (await faceapi.detectAllFaces(input, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 }))).sort(byScore);
    return { ours, theirs, width: img.width, height: img.height };
  } finally {
    input.dispose();
  }
}

function expectSame(ours: FaceApi.FaceDetection[], theirs: FaceApi.FaceDetection[], scoreTol: number, pxTol: number): void {
  expect(ours).toHaveLength(theirs.length);
  ours.forEach((o, i) => {
    const t = theirs[i];
    expect(Math.abs(o.score - t.score)).toBeLessThanOrEqual(scoreTol);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(o.box[k] - t.box[k])).toBeLessThanOrEqual(pxTol);
  });
}

describe('detectTinyFaces (TinyFaceDetector without square padding)', () => {
  const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURE_DIR, name));

  it('finds the same face as face-api in a 640×480 capture, at 416 and 640', async () => {
    const photo = fixture('rose-1.jpg');
    const located = await both(photo);
    const frame = await webcamFrame(photo, scaleBox(located.theirs[0].box, (await decodeImage(photo, { ...LIMITS, maxSide: 100_000 })).width / located.width), 80);
    for (const size of [416, 640]) {
      const r = await both(frame, size);
      expect(r.width).toBe(640);
      expect(r.theirs).toHaveLength(1);
      // 480 = 15 cells of 32 at 640; at 416 the 312 rows pad to 320 — the face is far from that band.
      expectSame(r.ours, r.theirs, 0.001, 0.5);
      expect({ w: r.ours[0].imageWidth, h: r.ours[0].imageHeight }).toEqual({ w: 640, h: 480 });
    }
  });

  it('finds the same faces in portrait, landscape and two-person photos', async () => {
    for (const name of ['obama-1.jpg', 'kit-2.jpg', 'biden-1.jpg', 'two-people.jpg']) {
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
    const r = await both(await noFaceImage());
    expect(r.ours).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

function scaleBox(b: FaceApi.Box, s: number): { x: number; y: number; width: number; height: number } {
  return { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
}
