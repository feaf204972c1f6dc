/* Worker thread: owns one tfjs runtime and one copy of the nets; runs one image at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { FaceAnalyser } from './analyser';
import { serializeFaceError } from './errors';
import { decodeImage } from './image-intake';
import type { AnalyseRequest, WorkerConfig, WorkerMessage } from './protocol';
import { loadModels, loadRuntime, tfOf } from './runtime';
import { loadLivenessModels, passiveLiveness } from './passive-liveness';
import { DESCRIPTOR_LENGTH } from './types';

if (!parentPort) throw new Error('face-worker must run as a worker thread');
const port = parentPort;
const config = workerData as WorkerConfig;

// The pool already gives one image per core; libvips' own threads would only oversubscribe them,
// and its operation cache would hold decoded images alive between jobs.
sharp.concurrency(1);
sharp.cache(false);

const send = (msg: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

async function main(): Promise<void> {
  const runtime = await loadRuntime(config.backend);
  await loadModels(runtime.faceapi, config.modelsDir);
  const liveness = config.livenessDir ? await loadLivenessModels(tfOf(runtime.faceapi), config.livenessDir) : null;
  const analyser = new FaceAnalyser(runtime.faceapi, config.detection, liveness);
  // Warm-up: the first inference compiles kernels and allocates; do it before accepting work.
  await analyser.analyse({ data: new Uint8Array(160 * 120 * 3), width: 160, height: 120, sourceWidth: 160, sourceHeight: 120 }, true);
  if (liveness) await warmLiveness(runtime.faceapi, liveness);

  port.on('message', async (req: AnalyseRequest) => {
    try {
      const t0 = performance.now();
      const img = await decodeImage(req.bytes, config.limits);
      const decodeMs = performance.now() - t0;
      const core = await analyser.analyse(img, req.wantDescriptor, req.match && { references: unflatten(req.match.references), threshold: req.match.threshold }, req.reference, req.liveness);
      const result = { width: img.sourceWidth, height: img.sourceHeight, ...core, decodeMs, tensors: tfOf(runtime.faceapi).memory().numTensors };
      send({ type: 'done', id: req.id, result }, core.descriptor ? [core.descriptor.buffer as ArrayBuffer] : []);
    } catch (err) {
      send({ type: 'failed', id: req.id, error: serializeFaceError(err) });
    }
  });
  send({ type: 'ready', backend: runtime.backend });
}

/** The blank warm-up frame has no face, so the liveness nets would first compile on a real capture. */
async function warmLiveness(faceapi: Parameters<typeof tfOf>[0], models: NonNullable<Awaited<ReturnType<typeof loadLivenessModels>>>): Promise<void> {
  const tf = tfOf(faceapi);
  const frame = tf.zeros([64, 64, 3], 'int32');
  try {
    await passiveLiveness(tf, models, frame as never, { x: 8, y: 8, width: 48, height: 48 });
  } finally {
    frame.dispose();
  }
}

function unflatten(flat: Float32Array): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i + DESCRIPTOR_LENGTH <= flat.length; i += DESCRIPTOR_LENGTH) out.push(flat.subarray(i, i + DESCRIPTOR_LENGTH));
  return out;
}

main().catch((err: unknown) => send({ type: 'init-error', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
