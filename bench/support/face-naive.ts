/**
 * The naive baseline, as face-api's own Node examples do it: one thread, the full-size image,
 * SSD MobileNet v1 + 68 landmarks + descriptor for every face. Measured in the same run as the
 * engine so the speed-up is not compared against a number from another day or machine.
 */
import sharp from 'sharp';
import { loadModels, loadRuntime, tfOf } from '../../libs/face/src/runtime';

export interface NaiveBaseline {
  backend: string;
  describe(image: Buffer): Promise<Float32Array[]>;
  liveTensors(): number;
}

export async function startNaiveBaseline(modelsDir: string): Promise<NaiveBaseline> {
  const { faceapi, backend } = await loadRuntime('wasm');
  await loadModels(faceapi, modelsDir);
  const tf = tfOf(faceapi);
  return {
    backend: backend.name,
    async describe(image) {
      const { data, info } = await sharp(image).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const input = tf.tensor3d(data, [info.height, info.width, 3], 'int32');
      try {
        const faces = await faceapi
          .detectAllFaces(input as unknown as Parameters<typeof faceapi.detectAllFaces>[0], new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }))
          .withFaceLandmarks()
          .withFaceDescriptors();
        return faces.map((f) => f.descriptor);
      } finally {
        input.dispose();
      }
    },
    liveTensors: () => tf.memory().numTensors,
  };
}
