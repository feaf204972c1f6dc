import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditTrail } from '@app/audit';
import { NothingChanged, unlessUnchanged } from '@app/catalog';
import { auditActorOf, AuthUser, TenantScope, tenantScopeOf } from '@app/identity';
import { Clock, ClockToken } from '@app/platform';
import { chinaDateOf } from '../china-date';
import { diff, offlineTenant, writeScopeOf } from '../offline-audit';
import type { ClassSession, OfflineClass } from '../offline.entity';
import { offlineError } from '../offline.errors';
import { ClassRepository } from '../persistence/class.repository';
import { InstructorRepository } from '../persistence/instructor.repository';
import { RosterRepository } from '../persistence/roster.repository';
import { NewSession, SessionPatch, SessionRepository } from '../persistence/session.repository';
import { bookingOf, clashes, spanProblem } from '../rules/overlap';
import { TraineeSchedules } from './trainee-schedules';

export type SessionInput = Pick<ClassSession, 'startsAt' | 'endsAt' | 'kind' | 'topic' | 'instructorId' | 'room'>;

/** Rooms are typed by people: "201 教室" and "201教室" are one room. */
const roomKey = (room: string) => room.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/**
 * The timetable (培训课程表): sessions with their instructor and room. An instructor teaches one
 * session at a time, a room holds one, a trainee sits in one; a session that has started is
 * changed only with a reason, and an accepted one not at all.
 */
@Injectable()
export class TimetableService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly classes: ClassRepository,
    private readonly sessions: SessionRepository,
    private readonly instructors: InstructorRepository,
    private readonly roster: RosterRepository,
    private readonly schedules: TraineeSchedules,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async add(user: AuthUser, classId: string, input: SessionInput, reason?: string): Promise<ClassSession> {
    return this.addAs(auditActorOf(user), writeScopeOf(user), classId, input, reason);
  }

  async addAs(actor: AuditActor, scope: TenantScope, classId: string, input: SessionInput, reason?: string): Promise<ClassSession> {
    return this.trail.commit(actor, async (tx) => {
      const cls = await this.classOf(scope, classId);
      // Entering a session after its start is a change after the start: it says why.
      if (input.startsAt.getTime() <= this.clock.now() && !reason?.trim()) throw offlineError('SESSION_CHANGE_REASON_REQUIRED');
      const candidate: NewSession = { ...input, topic: input.topic.trim(), room: input.room.trim(), classId: cls.id, programId: cls.programId, institutionId: cls.institutionId, regionCode: cls.regionCode };
      await this.check(scope, cls, { id: '', ...candidate });
      const session = await this.sessions.create(candidate);
      tx.record({ action: 'offline-session.create', target: { type: 'offline-session', id: session.id }, tenant: offlineTenant(cls), after: sessionSummary(session), reason: reason?.trim() || undefined });
      return session;
    });
  }

  async update(user: AuthUser, sessionId: string, patch: SessionPatch, reason?: string): Promise<ClassSession> {
    const scope = writeScopeOf(user);
    return unlessUnchanged(() =>
      this.trail.commit(auditActorOf(user), async (tx) => {
        const current = await this.sessionOf(scope, sessionId);
        if (current.status === 'accepted') throw offlineError('SESSION_ACCEPTED');
        const { before, after, changed } = diff(current, { ...patch, topic: patch.topic?.trim(), room: patch.room?.trim() });
        if (changed.length === 0) throw new NothingChanged(current);
        if (current.startsAt.getTime() <= this.clock.now() && !reason?.trim()) throw offlineError('SESSION_CHANGE_REASON_REQUIRED');
        const cls = await this.classOf(scope, current.classId);
        await this.check(scope, cls, { ...current, ...after });
        const session = await this.sessions.update(sessionId, after);
        tx.record({ action: 'offline-session.update', target: { type: 'offline-session', id: sessionId }, tenant: offlineTenant(cls), before, after, reason: reason?.trim() || undefined });
        return session;
      }),
    );
  }

  async listForClass(user: AuthUser, classId: string): Promise<ClassSession[]> {
    const cls = await this.classOf(tenantScopeOf(user), classId);
    return this.sessions.listByClasses([cls.id]);
  }

  async sessionOf(scope: TenantScope, id: string): Promise<ClassSession> {
    const session = await this.sessions.findById(scope, id);
    if (!session) throw offlineError('SESSION_NOT_FOUND');
    return session;
  }

  private async classOf(scope: TenantScope, id: string): Promise<OfflineClass> {
    const cls = await this.classes.findById(scope, id);
    if (!cls) throw offlineError('CLASS_NOT_FOUND');
    if (cls.status === 'finished') throw offlineError('CLASS_FINISHED');
    return cls;
  }

  /** Everything a session must satisfy, new or changed; `s.id` is '' for a new one. */
  private async check(scope: TenantScope, cls: OfflineClass, s: Omit<ClassSession, 'status'>): Promise<void> {
    const problem = spanProblem({ startsAt: s.startsAt.getTime(), endsAt: s.endsAt.getTime() });
    if (problem) throw offlineError('SESSION_INVALID', { fields: [{ field: 'endsAt', reasons: [problem] }] }, { message: problem });
    const day = chinaDateOf(s.startsAt);
    if (day < cls.startDate || day > cls.endDate) throw offlineError('SESSION_OUTSIDE_CLASS', { day, startDate: cls.startDate, endDate: cls.endDate });
    const instructor = await this.instructors.findById(scope, s.instructorId);
    if (!instructor || instructor.institutionId !== cls.institutionId) throw offlineError('INSTRUCTOR_NOT_FOUND');
    if (!instructor.active) throw offlineError('INSTRUCTOR_INACTIVE');
    const busy = clashes(bookingOf(s), (await this.sessions.listOverlapping(cls.institutionId, s.startsAt, s.endsAt)).map((o) => ({ ...bookingOf(o), o })));
    const teaching = busy.find((b) => b.o.instructorId === s.instructorId);
    if (teaching) throw offlineError('INSTRUCTOR_CLASH', { sessionId: teaching.id, topic: teaching.o.topic });
    // The same person registered by another institution: refused without saying where (that is the other tenant's data).
    const elsewhere = await this.sessions.listOverlappingFor(await this.instructors.samePersonElsewhere(s.instructorId), s.startsAt, s.endsAt);
    if (elsewhere.length > 0) throw offlineError('INSTRUCTOR_CLASH', undefined, { message: '该教师在此时间已在其他培训机构授课，同一教师不能同时讲授两个课次' });
    const room = busy.find((b) => roomKey(b.o.room) === roomKey(s.room));
    if (room) throw offlineError('ROOM_CLASH', { sessionId: room.id, topic: room.o.topic });
    const roster = (await this.roster.listByClass(cls.id)).map((e) => e.traineeId);
    const clash = await this.schedules.firstClash(cls.id, roster, [s]);
    if (clash) throw offlineError('TRAINEE_SCHEDULE_CLASH', clash);
  }
}

const sessionSummary = (s: ClassSession) => ({ classId: s.classId, startsAt: s.startsAt, endsAt: s.endsAt, kind: s.kind, topic: s.topic, instructorId: s.instructorId, room: s.room });
