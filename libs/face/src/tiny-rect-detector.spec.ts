/**
 * The rectangular TinyFaceDetector must find what face-api's own (square-padded) call finds: same
 * faces, same boxes within a pixel or two, same scores within a few hundredths (only cells whose
 * receptive field reaches the padding band can differ). Real photos from the fixtures.
 */
import type * as FaceApi from '@vladmandic/face-api';
import { expectSameDetections, fixture, photoAndEmptyParitySpecs, runBoth, sourceBox, wasmFaceApi } from '../test-support/detector-parity';
import { webcamFrame } from '../test-support/variants';
import { detectTinyFaces } from './tiny-rect-detector';

let faceapi: typeof FaceApi;
beforeAll(async () => {
  faceapi = await wasmFaceApi();
}, 60_000);

const ours = (size: number) => (f: typeof FaceApi, input: FaceApi.tf.Tensor3D) => detectTinyFaces(f, input, size, 0.5);
const theirs = (size: number) => (f: typeof FaceApi, input: FaceApi.tf.Tensor3D) =>
  f.detectAllFaces(input, new f.TinyFaceDetectorOptions({ inputSize: size, scoreThreshold: 0.5 })).run();

describe('detectTinyFaces (TinyFaceDetector without square padding)', () => {
  it('finds the same face as face-api in a 640×480 capture, at 416 and 640', async () => {
    const frame = await webcamFrame(fixture('rose-1.jpg'), await sourceBox(faceapi, 'rose-1.jpg', theirs(416)), 80);
    for (const size of [416, 640]) {
      const r = await runBoth(faceapi, frame, ours(size), theirs(size));
      expect(r.width).toBe(640);
      expect(r.theirs).toHaveLength(1);
      // 480 = 15 cells of 32 at 640; at 416 the 312 rows pad to 320 — the face is far from that band.
      expectSameDetections(r, 0.001, 0.5);
      expect({ w: r.ours[0].imageWidth, h: r.ours[0].imageHeight }).toEqual({ w: 640, h: 480 });
    }
  });

  photoAndEmptyParitySpecs(() => faceapi, ours(416), theirs(416), ['obama-1.jpg', 'kit-2.jpg', 'biden-1.jpg']);
});
