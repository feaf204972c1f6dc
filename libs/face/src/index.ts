export { FaceEngine, FaceEngineOptions, EnrolmentResult, VerificationResult, ImageInput, DEFAULT_MATCH_THRESHOLD } from './engine';
export { FaceError, FaceImageError, FaceEngineBusyError, FaceErrorCode, FaceErrorCodes } from './errors';
export { EnrolmentRejections, EnrolmentRejectionCode } from './rejections';
export { EnrolmentRejection, EnrolmentThresholds, DEFAULT_ENROLMENT_THRESHOLDS, assessEnrolment, enrolmentQuality } from './enrolment-gates';
export { FaceIndex, FaceDescriptorSource, IndexedDescriptor, SearchHit, search } from './face-index';
export { Descriptor, VerificationOutcome, euclideanDistance, distanceToReferences, decideOutcome } from './matching';
export { DetectionOptions, DEFAULT_DETECTION_OPTIONS } from './analyser';
export { BackendInfo, BackendPreference, defaultModelsDir } from './runtime';
export { DESCRIPTOR_LENGTH, EnrolmentQuality, FaceObservation, ImageAnalysis, AnalysisTimings, PoseEstimate, Box, DetectorName, DetectionPass } from './types';
