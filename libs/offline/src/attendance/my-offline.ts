import { Injectable } from '@nestjs/common';
import { AuthUser, systemScope, tenantScopeOf, TraineeRepository } from '@app/identity';
import { AppError } from '@app/platform';
import type { Attendance, ClassSession, OfflineClass } from '../offline.entity';
import { AttendanceRepository } from '../persistence/attendance.repository';
import { ClassRepository } from '../persistence/class.repository';
import { RosterRepository } from '../persistence/roster.repository';
import { SessionRepository } from '../persistence/session.repository';
import { ledgerSourceOf } from '../rules/attendance';
import { secondsOf } from './attendance.service';

/** The trainee's own roster rows have proved which classes are theirs. */
const OWN_CLASSES = systemScope('线下培训：学员查看本人所在班次与课次');

export interface MySession {
  session: ClassSession;
  attendance?: Attendance;
  seconds: number;
  /** pending until the session is accepted; credited once its seconds are in the ledger. */
  hours: 'pending' | 'credited' | 'none';
  source: 'offline' | 'practical';
}

/** A trainee's classes, attendance and offline hours (pending and credited). */
@Injectable()
export class MyOffline {
  constructor(
    private readonly roster: RosterRepository,
    private readonly classes: ClassRepository,
    private readonly sessions: SessionRepository,
    private readonly attendance: AttendanceRepository,
    private readonly trainees: TraineeRepository,
  ) {}

  async of(user: AuthUser): Promise<{ classes: { cls: OfflineClass; sessions: MySession[] }[]; pendingSeconds: number; creditedSeconds: number }> {
    if (user.role !== 'trainee') throw AppError.of('FORBIDDEN');
    // The trainee records behind the login decide whose rows these are (an account opened after the roster was made still sees it).
    const traineeIds = (await this.trainees.list(tenantScopeOf(user), {}, { offset: 0, limit: 100 })).items.map((t) => t.id);
    const entries = await this.roster.listForTrainees(traineeIds);
    const classes = await this.classes.findByIds(OWN_CLASSES, entries.map((e) => e.classId));
    const sessions = await this.sessions.listByClasses(classes.map((c) => c.id));
    const mine = new Map((await this.attendance.listForTrainees(traineeIds)).map((a) => [a.sessionId, a]));
    let pendingSeconds = 0;
    let creditedSeconds = 0;
    const out = classes.map((cls) => ({
      cls,
      sessions: sessions
        .filter((s) => s.classId === cls.id)
        .map((session): MySession => {
          const attendance = mine.get(session.id);
          const seconds = secondsOf(session, attendance);
          const hours = seconds === 0 ? 'none' : session.status === 'accepted' ? 'credited' : 'pending';
          if (hours === 'pending') pendingSeconds += seconds;
          if (hours === 'credited') creditedSeconds += seconds;
          return { session, attendance, seconds, hours, source: ledgerSourceOf(session.kind) };
        }),
    }));
    return { classes: out, pendingSeconds, creditedSeconds };
  }
}
