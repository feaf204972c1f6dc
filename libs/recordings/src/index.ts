export { RecordingsModule } from './recordings.module';
export { RecordingErrors, RecordingErrorCode, recordingError } from './recordings.errors';
export type { RecordingFile, SessionRecording } from './recording.entity';
export { SessionRecordings, FinishedRecordingUpload, RecordingOutcome, probedFileOf } from './uploads/session-recordings';
export { RecordingRepository } from './persistence/recording.repository';
export { checkRecording, reasonText, CheckReason, ProbedFile, RecordingVerdict } from './rules/recording-checks';
export { faceReport, flagText, FaceFlag, FaceReport, TraineeSeen } from './rules/face-report';
export { sampleFramesArgs } from './faces/frame-sampling';
