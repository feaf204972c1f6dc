/**
 * Shared checks for the engine's own detector runs (no square padding) against face-api's calls:
 * decode a real image, run both, compare faces, boxes and scores.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import { decodeImage } from '../src/image-intake';
import { defaultModelsDir, loadModels, loadRuntime, tfOf } from '../src/runtime';
import { FIXTURE_DIR, noFaceImage } from './variants';

type FaceApiModule = typeof FaceApi;
type Detect = (faceapi: FaceApiModule, input: FaceApi.tf.Tensor3D) => Promise<FaceApi.FaceDetection[]>;

export const PARITY_LIMITS = { maxBytes: 20_000_000, maxPixels: 40_000_000, maxSide: 640 };

export const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURE_DIR, name));

export async function wasmFaceApi(): Promise<FaceApiModule> {
  const { faceapi } = await loadRuntime('wasm');
  await loadModels(faceapi, defaultModelsDir());
  return faceapi;
}

export interface Parity {
  ours: FaceApi.FaceDetection[];
  theirs: FaceApi.FaceDetection[];
  width: number;
  height: number;
}

/** Both detectors on one decoded image, most confident first. */
export async function runBoth(faceapi: FaceApiModule, bytes: Buffer, ours: Detect, theirs: Detect): Promise<Parity> {
  const img = await decodeImage(bytes, PARITY_LIMITS);
  const input = tfOf(faceapi).tensor3d(img.data, [img.height, img.width, 3], 'int32') as unknown as FaceApi.tf.Tensor3D;
  const byScore = (a: FaceApi.FaceDetection, b: FaceApi.FaceDetection): number => b.score - a.score;
  try {
    return { ours: (await ours(faceapi, input)).sort(byScore), theirs: (await theirs(faceapi, input)).sort(byScore), width: img.width, height: img.height };
  } finally {
    input.dispose();
  }
}

export function expectSameDetections({ ours, theirs }: Parity, scoreTol: number, pxTol: number): void {
  expect(ours).toHaveLength(theirs.length);
  ours.forEach((o, i) => {
    expect(Math.abs(o.score - theirs[i].score)).toBeLessThanOrEqual(scoreTol);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(o.box[k] - theirs[i].box[k])).toBeLessThanOrEqual(pxTol);
  });
}

/** The box of the face in a fixture in its upright source pixels (what webcamFrame expects), as face-api's `theirs` finds it. */
export async function sourceBox(faceapi: FaceApiModule, name: string, theirs: Detect): Promise<FaceApi.IRect> {
  const photo = fixture(name);
  const r = await runBoth(faceapi, photo, theirs, theirs);
  const s = (await decodeImage(photo, { ...PARITY_LIMITS, maxSide: 100_000 })).width / r.width;
  const b = r.theirs[0].box;
  return { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
}

/** The checks every rectangular detector must pass on photos as uploaded and on a picture with no face. */
export function photoAndEmptyParitySpecs(faceapi: () => FaceApiModule, ours: Detect, theirs: Detect, photos: string[]): void {
  it('finds the same faces in portrait, landscape and two-person photos', async () => {
    for (const name of [...photos, 'two-people.jpg']) {
      const r = await runBoth(faceapi(), fixture(name), ours, theirs);
      expect(r.ours.length).toBeGreaterThan(0);
      expectSameDetections(r, 0.05, 3);
    }
    expect((await runBoth(faceapi(), fixture('two-people.jpg'), ours, theirs)).ours).toHaveLength(2);
  });

  it('finds nothing in a picture without a face, and leaks no tensor', async () => {
    const tf = tfOf(faceapi());
    const empty = await noFaceImage();
    await runBoth(faceapi(), empty, ours, ours);
    const before = tf.memory().numTensors;
    expect((await runBoth(faceapi(), empty, ours, ours)).ours).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
}
