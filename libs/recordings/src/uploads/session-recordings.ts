import { Inject, Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import { AuditTrail } from '@app/audit';
import { EvidenceRecords, EvidenceSettings, EvidenceSettingsToken, EvidenceStore } from '@app/evidence';
import { AuthUser, auditActorOf, TenantScope, tenantScopeOf } from '@app/identity';
import { MediaRunner, VideoInfo } from '@app/media';
import { AcceptSession, ClassSession, offlineError, SessionRepository } from '@app/offline';
import { AppError, Clock, ClockToken, JobQueue } from '@app/platform';
import { HashingFile } from './hashing-file';
import type { RecordingFile, SessionRecording } from '../recording.entity';
import { recordingError } from '../recordings.errors';
import { RecordingRepository } from '../persistence/recording.repository';
import { checkRecording, ProbedFile, RecordingVerdict } from '../rules/recording-checks';
import { checkSettingsOf } from '../settings';

export interface FinishedRecordingUpload {
  sessionId: string;
  /** The finished upload on local disk (tus), removed once it is kept as evidence. */
  path: string;
  fileName: string;
  /** SHA-256 computed as the bytes arrived, when known. */
  sha256?: string;
}

export interface RecordingOutcome {
  recording: SessionRecording;
  verdict: RecordingVerdict;
  /** The session's hours were released by this upload (false: not passing yet, or released before). */
  accepted: boolean;
  credited: number;
}

/** What ffprobe said, in the checks' terms. */
export function probedFileOf(name: string, info: VideoInfo | undefined): ProbedFile {
  return {
    name,
    order: 0,
    isVideo: !!info?.video && info.durationSeconds > 0,
    durationSeconds: info?.durationSeconds ?? 0,
    startedAt: info?.creationTime,
    width: info?.video?.width ?? 0,
    height: info?.video?.height ?? 0,
    fps: info?.video?.frameRate ?? 0,
  };
}

const EXT = /\.([A-Za-z0-9]{1,8})$/;
const contentTypeOf = (info: VideoInfo | undefined): string => (info?.container.includes('mp4') ? 'video/mp4' : info?.container.includes('matroska') ? 'video/x-matroska' : info?.video ? 'video/octet-stream' : 'application/octet-stream');

/**
 * A session's recording (002_… §四(四)): each uploaded file is kept as evidence under its session
 * (write-once, locked until its retention ends) — a failing one too — and the files together are
 * checked against the timetable. A passing verdict is the session's acceptance: the offline
 * context's AcceptSession releases its pending hours into the ledger, once (key
 * `offline:<session>:<trainee>`). Each file queues the `recordings.faces` job (faces/face-analysis.job.ts).
 */
@Injectable()
export class SessionRecordings {
  private readonly logger = new Logger('Recordings');

  constructor(
    private readonly sessions: SessionRepository,
    private readonly repo: RecordingRepository,
    private readonly evidence: EvidenceStore,
    private readonly records: EvidenceRecords,
    private readonly runner: MediaRunner,
    private readonly acceptance: AcceptSession,
    private readonly trail: AuditTrail,
    private readonly jobs: JobQueue,
    @Inject(EvidenceSettingsToken) private readonly settings: EvidenceSettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  /** The session a recording upload is for, within the uploader's scope; refused once accepted. */
  async sessionFor(user: AuthUser, sessionId: string): Promise<ClassSession> {
    const scope = writeScope(user);
    const session = typeof sessionId === 'string' ? await this.sessions.findById(scope, sessionId) : undefined;
    if (!session) throw offlineError('SESSION_NOT_FOUND');
    if (session.status === 'accepted') throw recordingError('RECORDING_SESSION_ACCEPTED');
    return session;
  }

  async view(user: AuthUser, sessionId: string): Promise<{ session: ClassSession; recording?: SessionRecording }> {
    const scope = tenantScopeOf(user);
    const session = await this.sessions.findById(scope, sessionId);
    if (!session) throw offlineError('SESSION_NOT_FOUND');
    return { session, recording: await this.repo.findBySession(scope, sessionId) };
  }

  /** The last byte of a file is in: keep it, check the recording, accept the session when it passes. */
  async fileFinished(user: AuthUser, upload: FinishedRecordingUpload): Promise<RecordingOutcome> {
    const session = await this.sessionFor(user, upload.sessionId);
    const info = (await this.runner.probe(upload.path)).info;
    const sha256 = upload.sha256 ?? (await HashingFile.sha256(upload.path));
    const ext = EXT.exec(upload.fileName)?.[1]?.toLowerCase() ?? 'bin';
    const contentType = contentTypeOf(info);
    const ref = await this.evidence.put(createReadStream(upload.path, { highWaterMark: 1 << 20 }), {
      key: `recordings/${session.id}/${sha256}.${ext}`,
      contentType,
      sha256,
      retainUntil: this.records.retainUntil(session.startsAt),
    });
    const now = new Date(this.clock.now());
    const outcome = await this.trail.commit(auditActorOf(user), async (tx) => {
      const record = await this.records.record(tx, { kind: 'recording', ref, contentType, institutionId: session.institutionId, regionCode: session.regionCode, sessionId: session.id, occurredAt: session.startsAt });
      const file: RecordingFile = { evidenceId: record.id, key: ref.key, sha256: ref.sha256, size: ref.size, contentType, probe: probedFileOf(upload.fileName, info), uploadedAt: now, uploadedBy: user.id };
      const { recording, added } = await this.repo.addFile({ sessionId: session.id, classId: session.classId, institutionId: session.institutionId, regionCode: session.regionCode }, file);
      const verdict = checkRecording(recording.files.map((f) => f.probe), session, checkSettingsOf(this.settings));
      await this.repo.setVerdict(session.id, { ...verdict, checkedAt: now });
      tx.record({
        action: 'session-recording.add-file',
        target: { type: 'offline-session', id: session.id },
        tenant: { institutionId: session.institutionId, regionCode: session.regionCode },
        after: { file: upload.fileName, sha256: ref.sha256, size: ref.size, added, passed: verdict.passed, coverage: verdict.coverage, reasons: verdict.reasons.map((r) => r.code) },
      });
      return { recording: { ...recording, verdict: { ...verdict, checkedAt: now } }, verdict };
    });
    await fs.rm(upload.path, { force: true });
    const reused = await this.repo.sessionsWithFile(ref.sha256, session.id);
    for (const other of reused) {
      await this.repo.addReuse(session.id, { sessionId: other, by: 'sha256' });
      await this.repo.addReuse(other, { sessionId: session.id, by: 'sha256' });
    }
    // Faces against the roster, on the job runner: the whole recording again, with this file in it.
    const job = await this.jobs.enqueue('recordings.faces', { sessionId: session.id });
    await this.repo.setFaceJob(session.id, job.id);
    return { ...(await this.acceptIfPassing(user, session, outcome.verdict)), recording: (await this.repo.findBySessionUnscoped(session.id))! };
  }

  /**
   * Acceptance follows a passing verdict. It is its own commit (the offline context's use case):
   * a crash between the two leaves a passing, unaccepted recording, which `recheck` completes.
   */
  private async acceptIfPassing(user: AuthUser, session: ClassSession, verdict: RecordingVerdict): Promise<Omit<RecordingOutcome, 'recording'>> {
    if (!verdict.passed) return { verdict, accepted: false, credited: 0 };
    try {
      const r = await this.acceptance.accept(user, session.id);
      await this.repo.markAccepted(session.id, r.session.acceptedAt ?? new Date(this.clock.now()));
      return { verdict, accepted: r.credited > 0 || r.session.status === 'accepted', credited: r.credited };
    } catch (e) {
      // Uploaded before the session's end: it passes, and is accepted when checked again after it.
      if (e instanceof AppError && e.code === 'SESSION_NOT_ENDED') return { verdict, accepted: false, credited: 0 };
      throw e;
    }
  }

  /** Checks the files again (settings changed, the session has ended since, a crash before acceptance) and accepts when passing. */
  async recheck(user: AuthUser, sessionId: string): Promise<RecordingOutcome> {
    const session = await this.sessionFor(user, sessionId);
    const recording = await this.repo.findBySession(writeScope(user), sessionId);
    if (!recording) throw recordingError('RECORDING_NOT_FOUND');
    const now = new Date(this.clock.now());
    const verdict = checkRecording(recording.files.map((f) => f.probe), session, checkSettingsOf(this.settings));
    await this.trail.commit(auditActorOf(user), async (tx) => {
      await this.repo.setVerdict(session.id, { ...verdict, checkedAt: now });
      tx.record({ action: 'session-recording.check', target: { type: 'offline-session', id: session.id }, tenant: { institutionId: session.institutionId, regionCode: session.regionCode }, after: { passed: verdict.passed, coverage: verdict.coverage, reasons: verdict.reasons.map((r) => r.code) } });
    });
    return { ...(await this.acceptIfPassing(user, session, verdict)), recording: (await this.repo.findBySessionUnscoped(session.id))! };
  }
}

/** Institutions upload for their own sessions; administrators for any. */
function writeScope(user: AuthUser): TenantScope {
  const scope = tenantScopeOf(user);
  if (scope.kind !== 'institution' && scope.kind !== 'all') throw AppError.of('FORBIDDEN');
  return scope;
}
