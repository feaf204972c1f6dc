import type { AttendanceFact, StudySessionFact } from '../facts/facts';
import { chinaDay, Owner, Subject } from './signal';

export const sessionSubject = (s: StudySessionFact): Subject => ({ kind: 'study-session', id: s.sessionId, owner: s.owner, at: s.startedAt, sessionId: s.sessionId });

export const attendanceSubject = (a: AttendanceFact): Subject => ({ kind: 'class-attendance', id: a.attendanceId, owner: a.owner, at: a.scheduled.startsAt, sessionId: a.classSessionId });

export const traineeDaySubject = (owner: Owner, day: string, at: number): Subject => ({ kind: 'trainee-day', id: `${owner.traineeId}:${day}`, owner, at });

export const traineeSubject = (owner: Owner, at: number): Subject => ({ kind: 'trainee', id: owner.traineeId, owner, at });

export { chinaDay };
