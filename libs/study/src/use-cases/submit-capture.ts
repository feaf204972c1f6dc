import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditTrail } from '@app/audit';
import { EvidenceRecords, EvidenceStore, sha256Hex } from '@app/evidence';
import { hashDistance, perceptualHash } from '@app/face';
import { auditActorOf, AuthUser, TenantScope } from '@app/identity';
import { Clock, ClockToken } from '@app/platform';
import { CAPTURE_OUTCOME_MESSAGES } from '../checks/check-state';
import { CaptureRecord, StudySessionRepository } from '../persistence/study-session.repository';
import type { CaptureAck, SessionEndedEvent } from '../protocol/study-protocol';
import { studyError } from '../study.errors';
import { CaptureVerdict, FaceVerifier } from '../session/face-verifier';
import { sessionEntry, sessionTenant } from '../session/session-audit';
import { applyCapture, endSession, expireChecks, sessionTotals } from '../session/session-rules';
import { Decision, ownSessions, StudySessionStore } from '../session/session-store';
import { endedEvent, faceCheckView, totalsView } from '../session/session-views';
import type { NumberedFaceCheck, StudySession } from '../session/study-session';
import { StudySettings, StudySettingsToken } from '../session/study-settings';

export interface SubmitCaptureCommand {
  readonly user: AuthUser;
  readonly sessionId: string;
  readonly checkId: string;
  readonly image: Uint8Array;
}

export interface SubmitCaptureResult {
  readonly ack: CaptureAck;
  /** The session ended with this capture: it passed the lesson-end check (completed), or it was the last failure allowed (terminated). */
  readonly ended?: SessionEndedEvent;
}

const CONTENT_TYPES: readonly [type: string, ext: string, test: (b: Uint8Array) => boolean][] = [
  ['image/jpeg', 'jpg', (b) => b[0] === 0xff && b[1] === 0xd8],
  ['image/png', 'png', (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ['image/webp', 'webp', (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45],
];

function sniff(b: Uint8Array): { contentType: string; ext: string } {
  const hit = CONTENT_TYPES.find(([, , test]) => test(b));
  return hit ? { contentType: hit[0], ext: hit[1] } : { contentType: 'application/octet-stream', ext: 'bin' };
}

/**
 * Perceptual-hash bits within which a capture is "the same frame" as an earlier one (see
 * libs/face perceptualHash for the measurements: re-encodings 0–4 bits, other photos 120+).
 */
export const REPLAY_MAX_BITS = 4;

/** The image as evidence is identified: its bytes' hash, and its perceptual hash when it decodes. */
interface Fingerprint {
  readonly sha256: string;
  readonly phash?: string;
}

/** Whether check `no` of the session is open for a capture that arrived at `at`. */
function openCheck(s: StudySession, no: number, at: number): NumberedFaceCheck | undefined {
  const check = s.faceCheck;
  return check && check.no === no && check.status === 'outstanding' && at <= check.deadline ? check : undefined;
}

/**
 * A webcam capture for the outstanding face check. The face engine judges it and the image is
 * stored as evidence ONCE, before the session is touched; only the session's own update retries
 * on a version conflict (verifying or storing again would overwrite evidence and orphan records).
 * The engine runs outside the session's lock, so the trainee's heartbeats are not held up by it.
 */
@Injectable()
export class SubmitCapture {
  constructor(
    private readonly store: StudySessionStore,
    private readonly repo: StudySessionRepository,
    private readonly verifier: FaceVerifier,
    private readonly evidence: EvidenceStore,
    private readonly records: EvidenceRecords,
    private readonly trail: AuditTrail,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async execute(cmd: SubmitCaptureCommand): Promise<SubmitCaptureResult> {
    const { image } = cmd;
    if (image.byteLength === 0) throw studyError('CAPTURE_EMPTY');
    if (image.byteLength > this.settings.maxCaptureBytes) throw studyError('CAPTURE_TOO_LARGE', { maxBytes: this.settings.maxCaptureBytes });
    const arrivedAt = this.clock.now();
    const checkNo = Number(cmd.checkId);
    const scope = ownSessions(cmd.user);
    const actor = auditActorOf(cmd.user);
    let before = await this.store.load(cmd.sessionId, scope);
    if (before.status !== 'active' || !openCheck(before, checkNo, arrivedAt)) before = await this.stillOpen(cmd, scope, actor, checkNo, arrivedAt);

    const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
    const print: Fingerprint = { sha256: sha256Hex(bytes), phash: await perceptualHash(image) };
    // A real camera never sends the same frame twice: one photo (or its re-encoding) replayed at every check fails them.
    const replayOf = await this.repo.findRepeated(scope, before.traineeId, { ...print, sessionId: before.id, checkNo }, REPLAY_MAX_BITS, hashDistance);
    const verdict: CaptureVerdict = replayOf
      ? { outcome: 'replayed', distance: null, faces: 0, note: `replay-of:${replayOf}` }
      : await this.verifier.verify(before.traineeId, image);
    const record = await this.keepEvidence(actor, before, checkNo, arrivedAt, bytes, print, verdict, replayOf);
    try {
      const { session, result } = await this.store.mutate(
        cmd.sessionId,
        (s, arrival): Decision<{ check: NumberedFaceCheck; credited: number }> => {
          // Heartbeats may have been applied while the engine worked: the session's time does not go back.
          const now = Math.max(arrival, s.lastSeenAt);
          const check = openCheck(s, checkNo, now);
          if (!check) return { refused: studyError('CHECK_NOT_OUTSTANDING', { checkId: cmd.checkId }), next: expireChecks(s, now, this.settings) };
          const applied = applyCapture(s, check.no, verdict.outcome, record.id, now, this.settings);
          let next = applied.session;
          // The lesson-end pass completes the session: everything is settled, nothing is left to credit.
          const completed = applied.transition.ok && applied.transition.check.status === 'passed' && check.reason === 'lesson-end';
          if (completed) next = endSession(next, 'COMPLETED', now, this.settings);
          const credited = sessionTotals(next).sessionCreditedSeconds - sessionTotals(s).sessionCreditedSeconds;
          return { next, result: { check: applied.transition.check, credited } };
        },
        {
          scope,
          at: arrivedAt,
          actor,
          record: (_prev, next) => [sessionEntry('study-session.face-check', next, { checkNo, outcome: verdict.outcome, status: next.faceCheck?.status, captureId: record.id })],
        },
      );
      return {
        ack: {
          check: faceCheckView(result.check),
          credited: result.credited,
          outcome: verdict.outcome,
          distance: verdict.distance,
          message: session.endReason?.message ?? CAPTURE_OUTCOME_MESSAGES[verdict.outcome],
          totals: totalsView(session),
        },
        ended: endedEvent(session),
      };
    } catch (e) {
      // The capture is evidence either way; its record says it did not count, and why.
      const code = (e as { code?: unknown }).code;
      const refusedAs = typeof code === 'string' ? code : 'ERROR';
      await this.trail
        .commit(actor, async (tx) => {
          await this.repo.markCaptureRefused(record.id, refusedAs);
          tx.record({ action: 'study-capture.refuse', target: { type: 'study-capture', id: record.id }, tenant: sessionTenant(before), after: { refusedAs } });
        })
        .catch(() => undefined);
      throw e;
    }
  }

  /**
   * Decided on the session as stored now: refused when the check is not open — recording a timeout
   * that happened meanwhile — or the session as it is when it was opened after all (a race).
   */
  private async stillOpen(cmd: SubmitCaptureCommand, scope: TenantScope, actor: AuditActor, checkNo: number, at: number): Promise<StudySession> {
    const { result } = await this.store.mutate(
      cmd.sessionId,
      (s, now): Decision<StudySession> =>
        openCheck(s, checkNo, now) ? { next: s, result: s } : { refused: studyError('CHECK_NOT_OUTSTANDING', { checkId: cmd.checkId }), next: expireChecks(s, now, this.settings) },
      { scope, at, actor },
    );
    return result;
  }

  /**
   * The image under a key named by its content, so storing it again is a no-op (a replay of the
   * same request, or a retry) — the evidence store is write-once and refuses other bytes there —
   * and its record, written once, before the session refers to it.
   */
  private async keepEvidence(
    actor: AuditActor,
    s: StudySession,
    checkNo: number,
    at: number,
    bytes: Buffer,
    print: Fingerprint,
    verdict: CaptureVerdict,
    replayOf: string | undefined,
  ): Promise<CaptureRecord> {
    const { contentType, ext } = sniff(bytes);
    const blob = await this.evidence.put(bytes, { key: `study-captures/${s.id}/${checkNo}-${print.sha256.slice(0, 16)}.${ext}`, contentType, sha256: print.sha256, retainUntil: this.records.retainUntil(new Date(s.startedAt)) });
    const capture = {
      session: s,
      checkNo,
      reason: s.faceCheck!.reason,
      at,
      outcome: verdict.outcome,
      distance: verdict.distance,
      threshold: verdict.threshold,
      faces: verdict.faces,
      blobKey: blob.key,
      sha256: blob.sha256,
      size: blob.size,
      contentType,
      note: verdict.note,
      phash: print.phash,
      replayOf,
    };
    return this.trail.commit(actor, async (tx) => {
      const stored = await this.repo.insertCapture(capture);
      await this.records.record(tx, { kind: 'study-capture', ref: blob, contentType, ownerId: s.traineeId, institutionId: s.institutionId, regionCode: s.regionCode, sessionId: s.id, occurredAt: new Date(s.startedAt) });
      tx.record({
        action: 'study-capture.submit',
        target: { type: 'study-capture', id: stored.id },
        tenant: sessionTenant(s),
        after: { sessionId: s.id, checkNo, reason: capture.reason, outcome: verdict.outcome, distance: verdict.distance, faces: verdict.faces, replayOf, sha256: blob.sha256, size: blob.size },
      });
      return stored;
    });
  }
}
