import { Inject, Injectable, Logger } from '@nestjs/common';
import { FaceEngineProvider, FaceImageError } from '@app/face';
import type { AuthUser } from '@app/identity';
import { LedgerRepository } from '@app/ledger';
import { BlobStore } from '@app/storage';
import { CAPTURE_OUTCOME_MESSAGES, CaptureOutcome } from '../checks/check-state';
import type { Heartbeat } from '../crediting/credit';
import type {
  CaptureAck,
  HeartbeatAck,
  OpenSessionRequest,
  PromptAck,
  SessionClosedView,
  StudySessionView,
} from '../protocol/study-protocol';
import { studyError } from '../study.errors';
import { ActiveSessionExists, SessionVersionConflict, StudySessionRepository } from '../persistence/study-session.repository';
import { StudyAccess, StudyAccessToken } from './study-access';
import { SessionLocks } from './session-locks';
import {
  applyAnswer,
  applyCapture,
  applyHeartbeat,
  endSession,
  expireChecks,
  finishFlush,
  isLessonComplete,
  openSession,
  SESSION_END_MESSAGES,
  SessionEndCode,
  sessionTotals,
} from './session-rules';
import { checksView, faceCheckView, promptView, refusalViews, sessionView, totalsView } from './session-views';
import type { StudySession } from './study-session';
import { StudySettings, StudySettingsToken } from './study-settings';

const ATTEMPTS = 4;
/** Live sessions kept in memory per process (a few KB each). */
const CACHE_LIMIT = 50_000;

/** What a mutation returns besides the saved session. */
type Mutation<T> = (s: StudySession, now: number) => Promise<{ next: StudySession; result: T }> | { next: StudySession; result: T };

function sniffContentType(b: Uint8Array): string {
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return 'image/webp';
  return 'application/octet-stream';
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** How an action changed the session's credited seconds (held excluded), for the client's running sum. */
function creditedChange(before: StudySession, after: StudySession): number {
  return sessionTotals(after).sessionCreditedSeconds - sessionTotals(before).sessionCreditedSeconds;
}

const OUTCOME_OF = { match: 'match', mismatch: 'mismatch', absent: 'no-face', multiple: 'several-faces' } as const;

/**
 * Online study sessions: open/resume (one device at a time), heartbeats credited by the pure rules,
 * face checks verified by the face engine with every capture kept as evidence, anti-idle prompts,
 * and credit settled into the hour ledger at each passed check. Every change is a conditional save
 * of the whole session, so several API processes can serve one trainee safely.
 */
@Injectable()
export class StudySessionService {
  private readonly logger = new Logger('StudySessions');
  private readonly locks = new SessionLocks();
  /** Live sessions this process served last, as saved (see mutate). */
  private readonly cached = new Map<string, StudySession>();

  constructor(
    private readonly repo: StudySessionRepository,
    private readonly ledger: LedgerRepository,
    private readonly blobs: BlobStore,
    private readonly face: FaceEngineProvider,
    @Inject(StudyAccessToken) private readonly access: StudyAccess,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
  ) {}

  /**
   * Opens a session for a lesson, or resumes the caller's live one. Any other live session of the
   * trainee ends (superseded); their ids come back so the transport can tell those clients.
   */
  async open(user: AuthUser, req: OpenSessionRequest): Promise<{ view: StudySessionView; superseded: string[] }> {
    const access = await this.access.resolve(user, req.lessonId);
    if (req.resumeSessionId) {
      const resumed = await this.tryResume(user, req.resumeSessionId, req.lessonId);
      if (resumed) return { view: sessionView(resumed, true, this.settings.credit), superseded: [] };
    }
    if ((await this.access.references(access.owner.traineeId)).length === 0) throw studyError('FACE_REFERENCE_MISSING');
    const superseded: string[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const live = await this.repo.findActiveByUser(user.id);
      if (live) {
        await this.end(live.id, 'SUPERSEDED');
        superseded.push(live.id);
        continue;
      }
      const [credited, totals] = await Promise.all([
        this.ledger.creditedLessonIntervals({ kind: 'all' }, access.owner.traineeId, access.lesson.lessonId),
        this.ledger.totalsForTrainee({ kind: 'all' }, access.owner.traineeId, access.owner.programId),
      ]);
      const now = Date.now();
      const session = openSession(
        {
          id: StudySessionRepository.newId(),
          ...access.owner,
          ...access.lesson,
          lessonDuration: access.lessonDuration,
          credited,
          base: { programSeconds: totals.seconds, onlineSeconds: totals.bySource.online },
          device: req.device?.slice(0, 120),
        },
        now,
        this.settings,
      );
      try {
        await this.repo.insert(session);
        return { view: sessionView(session, false, this.settings.credit), superseded };
      } catch (e) {
        // Another device opened one in between: end it too and try again, last opener wins.
        if (!(e instanceof ActiveSessionExists)) throw e;
      }
    }
    throw studyError('SESSION_BUSY');
  }

  private async tryResume(user: AuthUser, sessionId: string, lessonId: string): Promise<StudySession | undefined> {
    const s = await this.repo.findById(sessionId);
    if (!s || s.userId !== user.id || s.lessonId !== lessonId || s.status !== 'active') return undefined;
    return this.mutate(user, sessionId, (current, now) => ({ next: { ...current, lastSeenAt: now }, result: undefined })).then((r) => r.session);
  }

  /**
   * `receivedAt`: when the transport took the message off the wire. Crediting measures intervals
   * between arrivals, so time a heartbeat then spends waiting (authorisation, the session's lock,
   * the database) does not make the next one look like a jump ahead.
   */
  async heartbeat(
    user: AuthUser,
    sessionId: string,
    hb: Heartbeat,
    receivedAt?: number,
  ): Promise<{ ack: HeartbeatAck; issued: readonly ('face' | 'prompt')[] }> {
    const { session, result } = await this.mutate(
      user,
      sessionId,
      (s, now) => {
        const out = applyHeartbeat(s, hb, now, this.settings);
        return { next: out.session, result: out };
      },
      { now: receivedAt === undefined ? undefined : Math.min(receivedAt, Date.now()) },
    );
    if (result.result.refusals.length > 0) {
      await this.repo.recordRefusals(session.id, hb.seq, session.lastSeenAt, result.result.refusals).catch((e: unknown) => {
        // Evidence matters, but losing a refusal record must not undo the credit decision already saved.
        this.logger.error({ err: e, sessionId }, '拒绝记录写入失败 (refusal record not written)');
      });
    }
    return {
      ack: {
        sessionId: session.id,
        seq: hb.seq,
        accepted: result.result.accepted,
        credited: result.result.credited,
        refusals: refusalViews(result.result.refusals),
        furthestPosition: session.credit.furthestPosition,
        totals: totalsView(session),
        checks: checksView(session),
        lessonComplete: isLessonComplete(session),
      },
      issued: result.issued,
    };
  }

  async capture(user: AuthUser, sessionId: string, checkId: string, image: Uint8Array): Promise<{ ack: CaptureAck; ended: boolean }> {
    if (image.byteLength === 0) throw studyError('CAPTURE_EMPTY');
    if (image.byteLength > this.settings.maxCaptureBytes) throw studyError('CAPTURE_TOO_LARGE', { maxBytes: this.settings.maxCaptureBytes });
    const checkNo = Number(checkId);
    const { session, result } = await this.mutate(user, sessionId, async (s, now) => {
      const check = s.faceCheck;
      if (!check || check.no !== checkNo || check.status !== 'outstanding' || now > check.deadline) {
        // Let the rules record a timeout that happened meanwhile; the capture itself is refused.
        throw Object.assign(studyError('CHECK_NOT_OUTSTANDING', { checkId }), { sessionAfter: expireChecks(s, now, this.settings) });
      }
      const verdict = await this.verify(s.traineeId, image);
      const contentType = sniffContentType(image);
      const key = `study-captures/${s.id}/${check.no}-${check.attempts.length + 1}.${EXTENSIONS[contentType] ?? 'bin'}`;
      const blob = await this.blobs.put(key, Buffer.from(image.buffer, image.byteOffset, image.byteLength), { contentType });
      const record = await this.repo.insertCapture({
        session: s,
        checkNo: check.no,
        reason: check.reason,
        at: now,
        outcome: verdict.outcome,
        distance: verdict.distance,
        threshold: verdict.threshold,
        faces: verdict.faces,
        blobKey: blob.key,
        sha256: blob.sha256,
        size: blob.size,
        contentType,
        note: verdict.note,
      });
      const applied = applyCapture(s, check.no, verdict.outcome, record.id, now, this.settings);
      let next = applied.session;
      // The lesson-end pass completes the session: everything is settled, nothing is left to credit.
      const completed = applied.transition.ok && applied.transition.check.status === 'passed' && check.reason === 'lesson-end';
      if (completed) next = endSession(next, 'COMPLETED', now, this.settings);
      return { next, result: { verdict, check: applied.transition.check, completed, credited: creditedChange(s, next) } };
    });
    return {
      ack: {
        check: faceCheckView(result.check),
        credited: result.credited,
        outcome: result.verdict.outcome,
        distance: result.verdict.distance,
        message: result.completed ? SESSION_END_MESSAGES.COMPLETED : CAPTURE_OUTCOME_MESSAGES[result.verdict.outcome],
        totals: totalsView(session),
      },
      ended: result.completed,
    };
  }

  async answer(user: AuthUser, sessionId: string, promptId: string, answer: string): Promise<PromptAck> {
    const { result } = await this.mutate(user, sessionId, (s, now) => {
      const out = applyAnswer(s, Number(promptId), answer, now, this.settings);
      if (!out.transition.ok) throw Object.assign(studyError('CHECK_NOT_OUTSTANDING', { promptId }), { sessionAfter: out.session });
      return { next: out.session, result: { prompt: out.transition.check, credited: creditedChange(s, out.session) } };
    });
    const passed = result.prompt.status === 'passed';
    return { prompt: promptView(result.prompt), credited: result.credited, passed, message: passed ? '确认成功，继续学习' : '选择错误，自提示时起不计学时，请完成下一次确认' };
  }

  async close(user: AuthUser, sessionId: string): Promise<SessionClosedView> {
    const before = await this.repo.findById(sessionId);
    if (!before || before.userId !== user.id) throw studyError('SESSION_NOT_FOUND');
    const s = before.status === 'active' ? await this.end(sessionId, 'CLOSED') : before;
    return {
      sessionId: s.id,
      status: s.status,
      settledSeconds: s.settledSeconds,
      voidedSeconds: s.voidedSeconds,
      message: s.endReason?.message ?? SESSION_END_MESSAGES.CLOSED,
    };
  }

  /** Whether the user studies this lesson right now: the content key is only handed out then. */
  hasLiveSession(userId: string, lessonId: string): Promise<boolean> {
    return this.repo.hasActive(userId, lessonId);
  }

  /** Ends a session for the server's own reasons (superseded, abandoned); settles what the rules allow. */
  async end(sessionId: string, code: SessionEndCode): Promise<StudySession> {
    const { session } = await this.mutate(undefined, sessionId, (s, now) => ({ next: endSession(s, code, now, this.settings), result: undefined }), {
      allowEnded: true,
    });
    return session;
  }

  /**
   * Housekeeping, run periodically: ends sessions whose client has gone quiet and finishes ledger
   * writes a crashed process left half-done. Returns how many sessions it touched.
   */
  async sweep(now = Date.now()): Promise<number> {
    let touched = 0;
    for (const s of await this.repo.listFlushing()) {
      await this.mutate(undefined, s.id, (cur) => ({ next: cur, result: undefined }), { allowEnded: true });
      touched++;
    }
    for (const s of await this.repo.listIdle(now - this.settings.idleTimeoutMs)) {
      await this.end(s.id, 'ABANDONED').catch((e: unknown) => this.logger.warn({ err: e, sessionId: s.id }, '结束空闲会话失败 (idle session not ended)'));
      touched++;
    }
    return touched;
  }

  private async verify(traineeId: string, image: Uint8Array): Promise<{ outcome: CaptureOutcome; distance: number | null; threshold?: number; faces: number; note?: string }> {
    const references = await this.access.references(traineeId);
    if (references.length === 0) throw studyError('FACE_REFERENCE_MISSING');
    const engine = await this.face.engine();
    try {
      const r = await engine.verify(image, references);
      return { outcome: OUTCOME_OF[r.outcome], distance: r.distance, threshold: r.threshold, faces: r.faces };
    } catch (e) {
      // An unreadable frame is the camera's fault, not a verdict on the person: it earns the quick retry.
      if (e instanceof FaceImageError) return { outcome: 'bad-frame', distance: null, faces: 0, note: e.code };
      throw e;
    }
  }

  /**
   * Load → decide → conditional save, under a per-session lock in this process and an optimistic
   * version check across processes. A pending ledger write is finished first, and the one the
   * decision starts is written before returning, so an acknowledged credit is in the database.
   */
  private async mutate<T>(
    user: AuthUser | undefined,
    sessionId: string,
    decide: Mutation<T>,
    opts: { allowEnded?: boolean; now?: number } = {},
  ): Promise<{ session: StudySession; result: T }> {
    return this.locks.run(sessionId, async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        // The cached copy saves a read per message; a save against a stale one fails its version check and reloads.
        let s = attempt === 0 ? (this.cached.get(sessionId) ?? (await this.repo.findById(sessionId))) : await this.repo.findById(sessionId);
        if (!s || (user && s.userId !== user.id)) throw studyError('SESSION_NOT_FOUND');
        try {
          if (s.flushing) s = await this.finishPendingFlush(s);
          if (s.status !== 'active' && !opts.allowEnded) {
            throw studyError(s.status === 'superseded' ? 'SESSION_SUPERSEDED' : 'SESSION_ENDED', { status: s.status });
          }
          let decided: { next: StudySession; result: T };
          try {
            decided = await decide(s, opts.now ?? Date.now());
          } catch (e) {
            // A refused action may still have advanced the session (a timeout noticed on the way): keep that.
            const after = (e as { sessionAfter?: StudySession }).sessionAfter;
            if (after && after !== s) await this.save(after, s).catch(() => undefined);
            throw e;
          }
          if (decided.next === s) return { session: s, result: decided.result };
          let saved = await this.save(decided.next, s);
          if (saved.flushing) saved = await this.finishPendingFlush(saved);
          return { session: saved, result: decided.result };
        } catch (e) {
          this.cached.delete(sessionId);
          if (!(e instanceof SessionVersionConflict)) throw e;
        }
      }
      throw studyError('SESSION_BUSY');
    });
  }

  /** Conditional save over `prev`; the saved session becomes this process's cached copy while it is live. */
  private async save(next: StudySession, prev: StudySession): Promise<StudySession> {
    const saved = await this.repo.save(next, prev);
    this.cached.delete(saved.id);
    if (saved.status === 'active') {
      // Oldest first out: a Map iterates in insertion order, and a re-inserted key moves to the end.
      if (this.cached.size >= CACHE_LIMIT) this.cached.delete(this.cached.keys().next().value!);
      this.cached.set(saved.id, saved);
    }
    return saved;
  }

  /** Writes the pending flush to the ledger (idempotent by its key) and clears it. */
  private async finishPendingFlush(s: StudySession): Promise<StudySession> {
    const f = s.flushing!;
    await this.ledger.append({
      idempotencyKey: `study:${s.id}:${f.no}`,
      traineeId: s.traineeId,
      programId: s.programId,
      institutionId: s.institutionId,
      regionCode: s.regionCode,
      userId: s.userId,
      source: 'online',
      courseId: s.courseId,
      lessonId: s.lessonId,
      seconds: f.seconds,
      intervals: f.intervals,
      sessionId: s.id,
      evidence: f.evidence,
      by: 'system',
      occurredAt: new Date(f.occurredAt),
    });
    return this.save(finishFlush(s), s);
  }
}
