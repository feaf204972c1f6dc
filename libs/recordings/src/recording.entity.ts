import type { ProbedFile, RecordingVerdict } from './rules/recording-checks';
import type { FaceReport } from './rules/face-report';

/** One uploaded file of a session's recording, kept as evidence whatever the verdict. */
export interface RecordingFile {
  evidenceId: string;
  key: string;
  sha256: string;
  size: number;
  contentType: string;
  probe: ProbedFile;
  uploadedAt: Date;
  uploadedBy: string;
}

/** A session's recording: its files, the latest check's verdict and the face report. */
export interface SessionRecording {
  id: string;
  sessionId: string;
  classId: string;
  institutionId: string;
  regionCode: string;
  files: RecordingFile[];
  verdict?: RecordingVerdict & { checkedAt: Date };
  /** Set once the passing verdict has released the session's hours (the offline context's acceptance). */
  acceptedAt?: Date;
  faceJobId?: string;
  faces?: FaceReport;
  /** This recording's files found under another session (same SHA-256 or the same sampled frames). */
  reusedFrom: { sessionId: string; by: 'sha256' | 'frames' }[];
  /** Perceptual hashes of the sampled frames (64-bit hex), for reuse detection across sessions. */
  frameHashes: string[];
}
