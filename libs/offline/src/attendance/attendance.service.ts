import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuditTrail } from '@app/audit';
import { EvidenceRecords, EvidenceStore, sha256Hex } from '@app/evidence';
import { auditActorOf, AuthUser, systemScope, tenantScopeOf } from '@app/identity';
import { AppError, Clock, ClockToken } from '@app/platform';
import { kioskActor } from '../kiosk/kiosk.service';
import { offlineTenant, writeScopeOf } from '../offline-audit';
import type { Attendance, AttendanceCapture, ClassSession, OfflineClass, RosterEntry } from '../offline.entity';
import { offlineError } from '../offline.errors';
import { OfflineSettings, OfflineSettingsToken } from '../offline-settings';
import { AttendanceRepository } from '../persistence/attendance.repository';
import { ClassRepository } from '../persistence/class.repository';
import { Kiosk, KioskAttempt, KioskRepository } from '../persistence/kiosk.repository';
import { RosterRepository } from '../persistence/roster.repository';
import { SessionRepository } from '../persistence/session.repository';
import { attendedSeconds } from '../rules/attendance';
import { KIOSK_REFUSAL_MESSAGES, kioskStep } from '../rules/kiosk-rules';
import { Recogniser } from './recogniser';

/** The kiosk's credential has proved which session it serves; its reads are the platform's on its behalf. */
const KIOSK_SCOPE = systemScope('线下考勤：签到终端读取其课次（凭证已限定课次）');

export const KIOSK_OUTCOMES = ['sign-in', 'sign-out', 'no-match', 'ambiguous', 'no-face', 'several-faces', 'bad-frame', ...(Object.keys(KIOSK_REFUSAL_MESSAGES) as (keyof typeof KIOSK_REFUSAL_MESSAGES)[])] as const;
export type KioskOutcome = (typeof KIOSK_OUTCOMES)[number];

export interface KioskResult {
  outcome: KioskOutcome;
  /** Whether someone was signed in or out. */
  accepted: boolean;
  /** What the kiosk shows and speaks (zh-CN). */
  message: string;
  traineeName?: string;
  at: Date;
  attemptId: string;
}

const REFUSALS: Record<'no-match' | 'ambiguous' | 'no-face' | 'several-faces' | 'bad-frame', string> = {
  'no-match': '未能识别：您不在本课次花名册中，请正对摄像头重试或联系工作人员',
  ambiguous: '无法确认身份，请正对摄像头重试或联系工作人员',
  'no-face': '未检测到人脸，请正对摄像头',
  'several-faces': '画面中有多张人脸，请逐一签到',
  'bad-frame': '画面无法识别，请重试',
};

function contentTypeOf(b: Uint8Array): { type: string; ext: string } {
  if (b[0] === 0x89 && b[1] === 0x50) return { type: 'image/png', ext: 'png' };
  if (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57) return { type: 'image/webp', ext: 'webp' };
  return { type: 'image/jpeg', ext: 'jpg' };
}

export interface AttendanceRow {
  entry: RosterEntry;
  attendance?: Attendance;
  seconds: number;
}

/** Attendance (考勤) for one session: recognised at the kiosk, or entered by staff with a reason. */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly sessions: SessionRepository,
    private readonly classes: ClassRepository,
    private readonly roster: RosterRepository,
    private readonly attendance: AttendanceRepository,
    private readonly kiosks: KioskRepository,
    private readonly evidence: EvidenceStore,
    private readonly records: EvidenceRecords,
    private readonly recogniser: Recogniser,
    @Inject(OfflineSettingsToken) private readonly settings: OfflineSettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  /**
   * A camera frame at the kiosk: whoever it shows is identified against the session's roster and
   * signed in or out; anything else is refused. Either way the frame is kept as evidence and the
   * attempt recorded (a refused face is what an auditor looks for: someone signing in for another).
   */
  async capture(kiosk: Kiosk, image: Buffer): Promise<KioskResult> {
    if (!image || image.length === 0) throw offlineError('CAPTURE_EMPTY');
    if (image.length > this.settings.maxCaptureBytes) throw offlineError('CAPTURE_TOO_LARGE', { maxBytes: this.settings.maxCaptureBytes });
    const session = await this.sessionFor(kiosk);
    const sha256 = sha256Hex(image);
    const { type, ext } = contentTypeOf(image);
    // Content-addressed and write-once: a retried request stores nothing new.
    const ref = await this.evidence.put(image, { key: `offline-captures/${session.id}/${sha256}.${ext}`, contentType: type, sha256, retainUntil: this.records.retainUntil(session.startsAt) });
    const seen = await this.recogniser.recognise(session.classId, image);
    const at = new Date(this.clock.now());
    return this.trail.commit(kioskActor(kiosk), async (tx) => {
      const tenant = offlineTenant(session);
      let outcome: KioskOutcome = seen.outcome === 'match' ? 'no-match' : seen.outcome;
      let message = seen.outcome === 'match' ? '' : REFUSALS[seen.outcome];
      let entry: RosterEntry | undefined;
      let saved: Attendance | undefined;
      if (seen.outcome === 'match') {
        entry = (await this.roster.listByClass(session.classId)).find((e) => e.traineeId === seen.traineeId);
        const current = await this.attendance.find(session.id, seen.traineeId);
        const step = kioskStep(at.getTime(), { startsAt: session.startsAt.getTime(), endsAt: session.endsAt.getTime() }, current && { signInAt: current.signInAt?.getTime(), signOutAt: current.signOutAt?.getTime() }, this.settings);
        if (!entry) {
          outcome = 'no-match';
          message = REFUSALS['no-match'];
        } else if (step.kind === 'refuse') {
          outcome = step.reason;
          message = `${entry.name}：${KIOSK_REFUSAL_MESSAGES[step.reason]}`;
        } else {
          outcome = step.kind;
          const capture: AttendanceCapture = { step: step.kind, key: ref.key, sha256: ref.sha256, size: ref.size, distance: seen.distance, at };
          saved = await this.attendance.save(
            ownerOf(session, entry),
            {
              signInAt: step.kind === 'sign-in' ? at : current?.signInAt,
              signOutAt: step.kind === 'sign-out' ? at : current?.signOutAt,
              captures: [...(current?.captures ?? []), capture],
              manual: current?.manual ?? [],
              flagged: current?.flagged ?? false,
            },
            current,
          );
          message = `${entry.name}，${step.kind === 'sign-in' ? '签到' : '签退'}成功`;
        }
      }
      await this.records.record(tx, {
        kind: 'attendance-capture',
        ref,
        contentType: type,
        ownerId: seen.outcome === 'match' ? seen.traineeId : undefined,
        institutionId: session.institutionId,
        regionCode: session.regionCode,
        sessionId: session.id,
        occurredAt: session.startsAt,
      });
      const attempt = await this.kiosks.record({
        sessionId: session.id,
        institutionId: session.institutionId,
        regionCode: session.regionCode,
        at,
        outcome,
        traineeId: seen.outcome === 'match' ? seen.traineeId : undefined,
        distance: seen.distance,
        faces: seen.faces,
        capture: { key: ref.key, sha256: ref.sha256, size: ref.size },
      });
      const facts = { attemptId: attempt.id, outcome, traineeId: attempt.traineeId, distance: seen.distance, faces: seen.faces, capture: ref.sha256 };
      if (saved) tx.record({ action: `offline-attendance.${outcome}`, target: { type: 'offline-session', id: session.id }, tenant, after: { ...facts, attendanceId: saved.id } });
      else tx.record({ action: 'offline-attendance.refuse', target: { type: 'offline-session', id: session.id }, tenant, after: facts });
      return { outcome, accepted: saved !== undefined, message, traineeName: entry?.name, at, attemptId: attempt.id };
    });
  }

  /** Staff entering a sign-in and/or sign-out by hand: always with a reason, always flagged for auditors. */
  async manual(user: AuthUser, sessionId: string, traineeId: string, input: { signInAt?: Date; signOutAt?: Date; reason: string }): Promise<Attendance> {
    const scope = writeScopeOf(user);
    const reason = input.reason?.trim();
    if (!reason) throw offlineError('ATTENDANCE_REASON_REQUIRED');
    return this.trail.commit(auditActorOf(user), async (tx) => {
      const session = await this.sessions.findById(scope, sessionId);
      if (!session) throw offlineError('SESSION_NOT_FOUND');
      if (session.status === 'accepted') throw offlineError('SESSION_ACCEPTED');
      const entry = (await this.roster.listByClass(session.classId)).find((e) => e.traineeId === traineeId);
      if (!entry) throw offlineError('NOT_ON_ROSTER');
      const current = await this.attendance.find(session.id, traineeId);
      const signInAt = input.signInAt ?? current?.signInAt;
      const signOutAt = input.signOutAt ?? current?.signOutAt;
      if (!input.signInAt && !input.signOutAt) throw offlineError('ATTENDANCE_INVALID');
      if (signInAt && signOutAt && signOutAt <= signInAt) throw offlineError('ATTENDANCE_INVALID', { fields: [{ field: 'signOutAt', reasons: ['签退时间须晚于签到时间'] }] });
      const now = new Date(this.clock.now());
      if ((signInAt && signInAt > now) || (signOutAt && signOutAt > now)) throw offlineError('ATTENDANCE_INVALID', { fields: [{ field: 'signInAt', reasons: ['不能登记尚未发生的签到或签退'] }] });
      const saved = await this.attendance.save(
        ownerOf(session, entry),
        { signInAt, signOutAt, captures: current?.captures ?? [], manual: [...(current?.manual ?? []), { reason, by: user.id, at: now, signInAt: input.signInAt, signOutAt: input.signOutAt }], flagged: true },
        current,
      );
      tx.record({
        action: 'offline-attendance.manual',
        target: { type: 'offline-session', id: session.id },
        tenant: offlineTenant(session),
        before: current ? { signInAt: current.signInAt ?? null, signOutAt: current.signOutAt ?? null } : undefined,
        after: { traineeId, attendanceId: saved.id, signInAt: saved.signInAt ?? null, signOutAt: saved.signOutAt ?? null, flagged: true },
        reason,
      });
      return saved;
    });
  }

  /** The attendance sheet of a session: every roster member, present or not, with their seconds so far. */
  async sheet(user: AuthUser, sessionId: string): Promise<{ session: ClassSession; rows: AttendanceRow[]; attempts: KioskAttempt[] }> {
    const session = await this.sessions.findById(tenantScopeOf(user), sessionId);
    if (!session) throw offlineError('SESSION_NOT_FOUND');
    const [entries, rows, attempts] = await Promise.all([this.roster.listByClass(session.classId), this.attendance.listBySession(session.id), this.kiosks.attemptsOf(session.id)]);
    const byTrainee = new Map(rows.map((a) => [a.traineeId, a]));
    return { session, rows: entries.map((entry) => ({ entry, attendance: byTrainee.get(entry.traineeId), seconds: secondsOf(session, byTrainee.get(entry.traineeId)) })), attempts };
  }

  /** A capture of the session (its SHA-256 names it), checked against the stored hash; the read is recorded. */
  async captureImage(user: AuthUser, sessionId: string, sha256: string): Promise<{ body: Readable; contentType: string; size: number }> {
    const session = await this.sessions.findById(tenantScopeOf(user), sessionId);
    if (!session) throw offlineError('SESSION_NOT_FOUND');
    const attempt = (await this.kiosks.attemptsOf(session.id, 10_000)).find((a) => a.capture?.sha256 === sha256);
    if (!attempt?.capture) throw AppError.of('NOT_FOUND');
    const info = await this.evidence.stat(attempt.capture.key);
    await this.trail.recordRead(auditActorOf(user), { action: 'offline-capture.image.read', target: { type: 'offline-session', id: session.id }, tenant: offlineTenant(session), after: { sha256 } });
    return { body: await this.evidence.open(attempt.capture), contentType: info?.contentType ?? 'image/jpeg', size: attempt.capture.size };
  }

  /** What the kiosk screen shows about the session its credential serves. */
  async kioskView(kiosk: Kiosk): Promise<{ session: ClassSession; cls: OfflineClass; rosterSize: number; signedIn: number }> {
    const session = await this.sessionFor(kiosk);
    const cls = await this.classes.findById(KIOSK_SCOPE, session.classId);
    if (!cls) throw offlineError('CLASS_NOT_FOUND');
    const [entries, rows] = await Promise.all([this.roster.listByClass(cls.id), this.attendance.listBySession(session.id)]);
    return { session, cls, rosterSize: entries.length, signedIn: rows.filter((r) => r.signInAt).length };
  }

  private async sessionFor(kiosk: Kiosk): Promise<ClassSession> {
    const session = await this.sessions.findById(KIOSK_SCOPE, kiosk.sessionId);
    if (!session) throw offlineError('SESSION_NOT_FOUND');
    if (session.status === 'accepted') throw offlineError('SESSION_ACCEPTED');
    return session;
  }
}

export function secondsOf(session: ClassSession, a: Attendance | undefined): number {
  return a ? attendedSeconds({ startsAt: session.startsAt.getTime(), endsAt: session.endsAt.getTime() }, { signInAt: a.signInAt?.getTime(), signOutAt: a.signOutAt?.getTime() }) : 0;
}

const ownerOf = (session: ClassSession, entry: RosterEntry) => ({
  sessionId: session.id,
  classId: session.classId,
  traineeId: entry.traineeId,
  programId: session.programId,
  institutionId: entry.institutionId,
  regionCode: entry.regionCode,
});
