import type { AuditActor, AuditEntry, AuditTenant } from '@app/audit';
import type { NewCreditEntry } from '@app/ledger';
import type { PendingFlush, StudySession } from './study-session';

/** The housekeeping actor: idle sessions ended and pending ledger writes finished by the platform itself. */
export const STUDY_SWEEP_ACTOR: AuditActor = { kind: 'system', reason: '在线学习定时整理：结束空闲会话、补写未完成的学时入账 (study sweep)' };

export const sessionTenant = (s: Pick<StudySession, 'institutionId' | 'regionCode'>): AuditTenant => ({ institutionId: s.institutionId, regionCode: s.regionCode });

export const sessionTarget = (s: Pick<StudySession, 'id'>) => ({ type: 'study-session', id: s.id });

/** What a use case says about its own verb (open, capture, answer), recorded with the session's change. */
export function sessionEntry(action: string, s: StudySession, after: object): AuditEntry {
  return { action, target: sessionTarget(s), tenant: sessionTenant(s), after };
}

/**
 * The changes of a session worth an audit record whatever verb caused them — a check that timed
 * out, the session ending (and how much it settled and voided). A plain heartbeat changes none of
 * these: its credit stays provisional until a pass settles it, and the settlement is recorded with
 * its ledger entry. So the 15-second heartbeat path stays free of transactions.
 */
export function sessionTransitions(prev: StudySession, next: StudySession): AuditEntry[] {
  const out: AuditEntry[] = [];
  const face = next.faceCheck;
  if (face && face.status === 'timed-out' && !(prev.faceCheck?.no === face.no && prev.faceCheck.status === 'timed-out')) {
    out.push(sessionEntry('study-session.face-check.timeout', next, { checkNo: face.no, reason: face.reason, faceFailures: next.faceFailures ?? 0 }));
  }
  const prompt = next.prompt;
  if (prompt && prompt.status === 'timed-out' && !(prev.prompt?.no === prompt.no && prev.prompt.status === 'timed-out')) {
    out.push(sessionEntry('study-session.prompt.timeout', next, { promptNo: prompt.no }));
  }
  if (prev.status === 'active' && next.status !== 'active') {
    out.push(sessionEntry('study-session.end', next, { status: next.status, code: next.endReason?.code, settledSeconds: next.settledSeconds, voidedSeconds: next.voidedSeconds }));
  }
  return out;
}

/** The ledger credit a pending flush becomes: its key makes writing it twice count once. */
export function flushCredit(s: StudySession, f: PendingFlush): NewCreditEntry {
  return {
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
  };
}
