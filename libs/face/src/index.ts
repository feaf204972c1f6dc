export { FaceEngine, FaceEngineOptions, EnrolmentResult, VerificationResult, ChallengeResult, ObservedBurst, ImageInput, DEFAULT_MATCH_THRESHOLD } from './engine';
export { FaceError, FaceImageError, FaceEngineBusyError, FaceErrorCode, FaceErrorCodes } from './errors';
export { EnrolmentRejections, EnrolmentRejectionCode } from './rejections';
export { EnrolmentRejection, EnrolmentThresholds, DEFAULT_ENROLMENT_THRESHOLDS, assessEnrolment, enrolmentQuality } from './enrolment-gates';
export { FaceIndex, FaceDescriptorSource, IndexedDescriptor, SearchHit, search } from './face-index';
export { Descriptor, VerificationOutcome, euclideanDistance, distanceToReferences, decideOutcome } from './matching';
export { DetectionOptions, DEFAULT_DETECTION_OPTIONS } from './analyser';
export { BackendInfo, BackendPreference, defaultModelsDir } from './runtime';
export { DESCRIPTOR_LENGTH, EnrolmentQuality, FaceObservation, ImageAnalysis, AnalysisTimings, PoseEstimate, Box, DetectorName, DetectionPass } from './types';
export { FaceModule, FaceEngineProvider } from './face.module';
export { perceptualHash, hashDistance } from './perceptual-hash';
export {
  CHALLENGE_ACTIONS,
  CHALLENGE_PROMPTS,
  CHALLENGE_FAILURES,
  ChallengeAction,
  ChallengeDecision,
  ChallengeFailureCode,
  ChallengeThresholds,
  DEFAULT_CHALLENGE_THRESHOLDS,
  FrameMeasures,
  decideChallenge,
  drawChallenge,
  eyeAspectRatio,
  eyeOpening,
  mouthAspectRatio,
  mouthOpening,
  yawOf,
} from './active-challenge';
export { PassiveLivenessScores, PassiveLivenessThresholds, PassiveLivenessVerdict, DEFAULT_PASSIVE_LIVENESS, decidePassiveLiveness } from './passive-liveness';
export { DEFAULT_VIRTUAL_CAMERAS, VIRTUAL_CAMERA_REFUSAL, virtualCameraOf, parseVirtualCameraList } from './virtual-camera';
