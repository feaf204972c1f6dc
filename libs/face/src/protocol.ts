import type { DetectionOptions } from './analyser';
import type { SerializedFaceError } from './errors';
import type { IntakeLimits } from './image-intake';
import type { BackendInfo, BackendPreference } from './runtime';
import type { DetectionPass, FaceObservation } from './types';
import type { PassiveLivenessScores } from './passive-liveness';

/** What every worker is started with. */
export interface WorkerConfig {
  modelsDir: string;
  backend: BackendPreference;
  limits: IntakeLimits;
  detection: DetectionOptions;
  /** models/liveness (antispoof + liveness nets); null: passive liveness off. */
  livenessDir: string | null;
}

export interface AnalyseRequest {
  type: 'analyse';
  id: number;
  bytes: Uint8Array;
  wantDescriptor: boolean;
  /** The descriptor becomes an enrolment reference: averaged over jittered chips as well (DetectionOptions.referenceJitter). */
  reference?: boolean;
  /** A verification's references (n × 128, flattened) and threshold: lets the worker skip a mirror pass that cannot change the outcome. */
  match?: { references: Float32Array; threshold: number };
  /** Score the single face with the passive liveness nets. */
  liveness?: boolean;
}

export interface AnalyseReply {
  width: number;
  height: number;
  faces: FaceObservation[];
  descriptor: Float32Array | null;
  mirrored: boolean;
  detectorsRun: DetectionPass[];
  decodeMs: number;
  detectMs: number;
  describeMs: number;
  liveness: PassiveLivenessScores | null;
  livenessMs: number;
  /** Live tfjs tensors after the job: constant between jobs, or something leaks. */
  tensors: number;
}

export type WorkerMessage =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'init-error'; message: string }
  | { type: 'done'; id: number; result: AnalyseReply }
  | { type: 'failed'; id: number; error: SerializedFaceError };
