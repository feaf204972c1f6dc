import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as FaceApi from '@vladmandic/face-api';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm';

export interface BackendInfo {
  /** tfjs backend name: 'tensorflow' (tfjs-node, native libtensorflow) or 'wasm' (XNNPACK). */
  name: string;
  /** Whether the wasm build in use has SIMD (null for the native backend). */
  simd: boolean | null;
  /** Why tfjs-node was not used, when it was not. */
  fallbackReason?: string;
}

export interface FaceRuntime {
  faceapi: typeof FaceApi;
  backend: BackendInfo;
}

type FaceApiModule = typeof FaceApi;
export type Tf = typeof TfCore;

/** face-api's bundled typings declare only part of tfjs; the object is the full tfjs-core namespace. */
export function tfOf(faceapi: FaceApiModule): Tf {
  return faceapi.tf as unknown as Tf;
}

function resolvable(id: string): boolean {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

/**
 * tfjs-node is an optional dependency (its install downloads libtensorflow, impossible offline), so
 * it is only required when it resolves, and any failure to load its native binding falls back to wasm.
 */
export async function loadRuntime(preference: BackendPreference = 'auto'): Promise<FaceRuntime> {
  let fallbackReason: string | undefined;
  if (preference !== 'wasm') {
    if (resolvable('@tensorflow/tfjs-node')) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const faceapi = require('@vladmandic/face-api/dist/face-api.node.js') as FaceApiModule;
        const tf = tfOf(faceapi);
        await tf.setBackend('tensorflow');
        await tf.ready();
        return { faceapi, backend: { name: tf.getBackend(), simd: null } };
      } catch (err) {
        fallbackReason = `@tensorflow/tfjs-node failed to load: ${err instanceof Error ? err.message : String(err)}`;
      }
    } else {
      fallbackReason = '@tensorflow/tfjs-node is not installed';
    }
    if (preference === 'tensorflow') throw new Error(fallbackReason);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string, usePlatformFetch?: boolean): void };
  // Local files only, and no platform fetch: Node's fetch cannot read file paths, emscripten's loader can.
  wasm.setWasmPaths(wasmDir());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule;
  const tf = tfOf(faceapi);
  await tf.setBackend('wasm');
  await tf.ready();
  // tfjs picks the SIMD binary whenever the runtime supports it (Node 16+ does); report what it chose.
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { faceapi, backend: { name: tf.getBackend(), simd, fallbackReason } };
}

function wasmDir(): string {
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  if (!fs.existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm'))) throw new Error(`wasm binaries missing in ${dir}`);
  return dir + path.sep;
}

/** The nets the engine uses, loaded from the checked-in weights. */
export const MODEL_FILES = {
  tinyFaceDetector: 'tiny_face_detector_model',
  ssdMobilenetv1: 'ssd_mobilenetv1_model',
  faceLandmark68Net: 'face_landmark_68_model',
  faceRecognitionNet: 'face_recognition_model',
} as const;

export async function loadModels(faceapi: FaceApiModule, modelsDir: string): Promise<void> {
  for (const [net, file] of Object.entries(MODEL_FILES)) {
    const manifest = path.join(modelsDir, `${file}-weights_manifest.json`);
    if (!fs.existsSync(manifest)) throw new Error(`face model missing: ${manifest}`);
    await faceapi.nets[net as keyof typeof MODEL_FILES].loadFromDisk(modelsDir);
  }
}

/**
 * The repository's models/face-api, found by walking up to the package.json, so the same default
 * works from libs/face/src (swc-node, jest) and from dist/libs/face/src (compiled).
 */
export function defaultModelsDir(from = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'models', 'face-api');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find models/face-api above ${from}; pass modelsDir`);
    dir = parent;
  }
}
