/**
 * The rectangular SSD MobileNet v1 must find what face-api's own (square-padded) call finds: same
 * faces, boxes within a pixel or two, scores within a few hundredths; and its prior boxes for a
 * 512×512 input must be face-api's own, row for row. Real photos from the fixtures.
 */
import type * as FaceApi from '@vladmandic/face-api';
import { expectSameDetections, fixture, photoAndEmptyParitySpecs, runBoth, sourceBox, wasmFaceApi } from '../test-support/detector-parity';
import { webcamFrame } from '../test-support/variants';
import { detectSsdFaces, priorBoxes, readAnchorSizes } from './ssd-rect-detector';

let faceapi: typeof FaceApi;
beforeAll(async () => {
  faceapi = await wasmFaceApi();
}, 60_000);

const ours = (f: typeof FaceApi, input: FaceApi.tf.Tensor3D) => detectSsdFaces(f, input, 0.5, 10);
const theirs = (f: typeof FaceApi, input: FaceApi.tf.Tensor3D) => f.detectAllFaces(input, new f.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 10 })).run();

describe('detectSsdFaces (SSD MobileNet v1 without square padding)', () => {
  it('lays out prior boxes for 512×512 exactly as face-api ships them', async () => {
    const params = (faceapi.nets.ssdMobilenetv1 as unknown as { params: { output_layer: { extra_dim: { data(): Promise<Float32Array> } } } }).params;
    const shipped = await params.output_layer.extra_dim.data();
    const laidOut = priorBoxes(readAnchorSizes(shipped), 512, 512);
    expect(laidOut.length).toBe(shipped.length);
    let worst = 0;
    for (let i = 0; i < laidOut.length; i++) worst = Math.max(worst, Math.abs(laidOut[i] - shipped[i]));
    expect(worst).toBeLessThan(1e-5);
    // 640×480 → 512×384: the same anchors on a 32×24 … 1×1 set of grids.
    expect(priorBoxes(readAnchorSizes(shipped), 384, 512).length / 4).toBe(32 * 24 * 3 + (16 * 12 + 8 * 6 + 4 * 3 + 2 * 2 + 1) * 6);
  });

  it('finds the same small and larger faces as face-api in 640×480 captures', async () => {
    const box = await sourceBox(faceapi, 'kit-2.jpg', theirs);
    for (const faceWidth of [120, 56]) {
      const r = await runBoth(faceapi, await webcamFrame(fixture('kit-2.jpg'), box, faceWidth), ours, theirs);
      expect(r.width).toBe(640);
      expect(r.theirs).toHaveLength(1);
      expectSameDetections(r, 0.002, 1);
    }
  });

  photoAndEmptyParitySpecs(() => faceapi, ours, theirs, ['kit-1.jpg', 'obama-2.jpg', 'rose-1.jpg']);
});
