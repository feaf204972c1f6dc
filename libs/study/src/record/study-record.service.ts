import { AuditTrail } from '@app/audit';
import { Inject, Injectable } from '@nestjs/common';
import { EvidenceStore } from '@app/evidence';
import { auditActorOf, AuthUser, identityError, tenantScopeOf, TenantScope } from '@app/identity';
import { sessionTenant } from '../session/session-audit';
import { LedgerEntry, LedgerRepository, secondsToStudyHours } from '@app/ledger';
import type { Readable } from 'node:stream';
import { lessonSeconds } from '../crediting/credit';
import { REFUSAL_MESSAGES, RefusalCode } from '../crediting/refusals';
import { StudySessionRepository } from '../persistence/study-session.repository';
import type {
  CheckRecordView,
  HoursBySourceView,
  MyProgressView,
  ProgramProgressView,
  StudySessionRecordView,
  StudySessionSummaryView,
} from '../protocol/study-protocol';
import { studyError } from '../study.errors';
import { Curriculum, StudyAccess, StudyAccessToken } from '../session/study-access';
import type { StudySession } from '../session/study-session';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Net seconds per lesson from ledger entries (credits minus their compensations). */
function secondsByLesson(entries: readonly LedgerEntry[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) if (e.lessonId) out.set(e.lessonId, (out.get(e.lessonId) ?? 0) + e.seconds);
  return out;
}

function bySourceOf(entries: readonly LedgerEntry[]): HoursBySourceView {
  const out = { online: 0, offline: 0, practical: 0 };
  for (const e of entries) out[e.source] += e.seconds;
  return out;
}

/** Read side of study: hours and progress from the ledger, sessions with their evidence trail. */
@Injectable()
export class StudyRecordService {
  constructor(
    private readonly repo: StudySessionRepository,
    private readonly ledger: LedgerRepository,
    private readonly evidence: EvidenceStore,
    @Inject(StudyAccessToken) private readonly access: StudyAccess,
    private readonly trail: AuditTrail,
  ) {}

  async myProgress(user: AuthUser): Promise<MyProgressView> {
    const programs: ProgramProgressView[] = [];
    const scope = tenantScopeOf(user);
    for (const c of await this.access.curricula(user)) programs.push(await this.programProgress(scope, c));
    return { programs };
  }

  private async programProgress(scope: TenantScope, c: Curriculum): Promise<ProgramProgressView> {
    const entries = await this.ledger.listForTrainee(scope, c.traineeId, c.programId);
    const perLesson = secondsByLesson(entries);
    const seconds = entries.reduce((n, e) => n + e.seconds, 0);
    return {
      programId: c.programId,
      minutesPerHour: c.minutesPerHour,
      seconds,
      hours: secondsToStudyHours(seconds, c.minutesPerHour),
      bySource: bySourceOf(entries),
      courses: c.courses.map((course) => {
        const lessons = course.lessons.map((l) => {
          const total = lessonSeconds(l.durationSeconds);
          const credited = Math.min(total, Math.max(0, perLesson.get(l.lessonId) ?? 0));
          return { lessonId: l.lessonId, creditedSeconds: credited, lessonSeconds: total, complete: credited >= total };
        });
        const creditedSeconds = lessons.reduce((n, l) => n + l.creditedSeconds, 0);
        const totalSeconds = lessons.reduce((n, l) => n + l.lessonSeconds, 0);
        return {
          courseId: course.courseId,
          requirement: course.requirement,
          creditedSeconds,
          totalSeconds,
          percent: totalSeconds === 0 ? 0 : Math.floor((creditedSeconds / totalSeconds) * 100),
          lessons,
        };
      }),
    };
  }

  /** A trainee's hours for staff (institution, auditor, administrator) within their scope. */
  async traineeHours(user: AuthUser, traineeId: string): Promise<ProgramProgressView> {
    const trainee = await this.access.traineeInScope(user, traineeId);
    if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
    const entries = await this.ledger.listForTrainee(tenantScopeOf(user), traineeId, trainee.programId);
    const seconds = entries.reduce((n, e) => n + e.seconds, 0);
    const perCourse = new Map<string, number>();
    for (const e of entries) if (e.courseId) perCourse.set(e.courseId, (perCourse.get(e.courseId) ?? 0) + e.seconds);
    return {
      programId: trainee.programId,
      minutesPerHour: trainee.minutesPerHour,
      seconds,
      hours: secondsToStudyHours(seconds, trainee.minutesPerHour),
      bySource: bySourceOf(entries),
      courses: [...perCourse].map(([courseId, credited]) => ({
        courseId,
        requirement: 'required' as const,
        creditedSeconds: credited,
        totalSeconds: 0,
        percent: 0,
        lessons: [],
      })),
    };
  }

  async mySessions(user: AuthUser, limit: number): Promise<StudySessionSummaryView[]> {
    const sessions = await this.repo.listByUser(tenantScopeOf(user), user.id, Math.min(Math.max(1, limit), 200));
    return this.summaries(sessions);
  }

  /** A trainee's sessions for staff within their scope (the institution enrolling them, auditors of the region). */
  async traineeSessions(user: AuthUser, traineeId: string, limit: number): Promise<StudySessionSummaryView[]> {
    const trainee = await this.access.traineeInScope(user, traineeId);
    if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
    return this.summaries(await this.repo.listByTrainee(tenantScopeOf(user), traineeId, Math.min(Math.max(1, limit), 200)));
  }

  private async summaries(sessions: readonly StudySession[]): Promise<StudySessionSummaryView[]> {
    const titles = await this.access.titles([...new Set(sessions.map((s) => s.lessonId))]);
    return sessions.map((s) => {
      const t = titles.get(s.lessonId);
      const held = s.held.reduce((n, [a, b]) => n + (b - a), 0);
      const provisional = s.provisional.reduce((n, [a, b]) => n + (b - a), 0);
      return {
        id: s.id,
        lessonId: s.lessonId,
        lessonTitle: t?.lessonTitle ?? '（课时已删除）',
        courseId: s.courseId,
        courseTitle: t?.courseTitle ?? '',
        status: s.status,
        endReason: s.endReason?.message,
        startedAt: iso(s.startedAt)!,
        endedAt: iso(s.endedAt),
        device: s.device,
        creditedSeconds: s.settledSeconds + provisional + held + s.voidedSeconds,
        settledSeconds: s.settledSeconds,
        heldSeconds: held,
        voidedSeconds: s.voidedSeconds,
      };
    });
  }

  /** A capture image, for auditors spot-checking and for the trainee's own record; same scope as the session. */
  async captureImage(user: AuthUser, captureId: string): Promise<{ body: Readable; contentType: string; size: number; sha256: string }> {
    const scope = tenantScopeOf(user);
    const capture = await this.repo.captureById(scope, captureId);
    if (!capture) throw studyError('CAPTURE_NOT_FOUND');
    const session = await this.repo.findById(scope, capture.sessionId);
    if (!session) throw studyError('CAPTURE_NOT_FOUND');
    // A face image is biometric data: who looked at it is on the record before it is served (PIPL).
    await this.trail.recordRead(auditActorOf(user), {
      action: 'study-capture.image.read',
      target: { type: 'study-capture', id: capture.id },
      tenant: sessionTenant(session),
      after: { sessionId: capture.sessionId, traineeId: capture.traineeId },
    });
    // Checked against the hash on the record while it streams: an image altered in storage ends in EVIDENCE_TAMPERED.
    const body = await this.evidence.open({ key: capture.blobKey, sha256: capture.sha256, size: capture.size });
    return { body, contentType: capture.contentType, size: capture.size, sha256: capture.sha256 };
  }

  async record(user: AuthUser, sessionId: string): Promise<StudySessionRecordView> {
    const scope = tenantScopeOf(user);
    const s = await this.repo.findById(scope, sessionId);
    if (!s) throw studyError('SESSION_NOT_FOUND');
    const [summary] = await this.summaries([s]);
    const [captures, refusals] = await Promise.all([this.repo.capturesOf(scope, s.id), this.repo.refusalsOf(s)]);
    const checks: CheckRecordView[] = [];
    // The session keeps the latest check of each kind; earlier face checks are known from their captures.
    const faceNos = new Set(captures.map((c) => c.checkNo));
    if (s.faceCheck) faceNos.add(s.faceCheck.no);
    for (const no of [...faceNos].sort((a, b) => a - b)) {
      const mine = captures.filter((c) => c.checkNo === no);
      const current = s.faceCheck?.no === no ? s.faceCheck : undefined;
      const last = mine[mine.length - 1];
      checks.push({
        id: String(no),
        kind: 'face',
        reason: (current?.reason ?? mine[0]?.reason) as CheckRecordView['reason'],
        status: current?.status ?? (last?.outcome === 'match' ? 'passed' : 'failed'),
        issuedAt: iso(current?.issuedAt ?? mine[0]?.at)!,
        deadline: iso(current?.deadline ?? last?.at)!,
        resolvedAt: iso(current?.resolvedAt ?? last?.at),
        attempts: mine.map((c) => ({ at: iso(c.at)!, outcome: c.outcome as CheckRecordView['attempts'][number]['outcome'], distance: c.distance, captureId: c.id })),
      });
    }
    if (s.prompt) {
      checks.push({
        id: String(s.prompt.no),
        kind: 'prompt',
        status: s.prompt.status,
        issuedAt: iso(s.prompt.issuedAt)!,
        deadline: iso(s.prompt.deadline)!,
        resolvedAt: iso(s.prompt.resolvedAt),
        attempts: s.prompt.answeredAt ? [{ at: iso(s.prompt.answeredAt)!, outcome: 'answered', distance: null }] : [],
      });
    }
    return {
      session: summary,
      checks,
      refusals: refusals.map((r) => ({
        seq: r.seq,
        at: iso(r.at)!,
        code: r.code,
        message: REFUSAL_MESSAGES[r.code as RefusalCode] ?? r.code,
        seconds: r.seconds,
      })),
    };
  }
}
