import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { NothingChanged, unlessUnchanged } from '@app/catalog';
import { auditActorOf, AuthUser, systemScope, TraineeRepository } from '@app/identity';
import { LedgerRepository } from '@app/ledger';
import { Clock, ClockToken } from '@app/platform';
import { offlineTenant, writeScopeOf } from '../offline-audit';
import type { ClassSession } from '../offline.entity';
import { offlineError } from '../offline.errors';
import { AttendanceRepository } from '../persistence/attendance.repository';
import { SessionRepository } from '../persistence/session.repository';
import { ledgerSourceOf } from '../rules/attendance';
import { secondsOf } from './attendance.service';

const OWNER_SCOPE = systemScope('线下学时验收：读取学员当前的登录账号与所在地区，写入学时台账');

export interface AcceptanceResult {
  session: ClassSession;
  /** Ledger entries this acceptance wrote (0 when the session had been accepted already). */
  credited: number;
  seconds: number;
}

/** One trainee's hours from one session are written once, whoever accepts it and however often. */
export const offlineLedgerKey = (sessionId: string, traineeId: string) => `offline:${sessionId}:${traineeId}`;

/**
 * Accepting a session (验收) turns its pending attendance into ledger credit: each present trainee's
 * overlap of attendance with the scheduled time, practical sessions as `practical`, the others as
 * `offline`, in the same commit that marks the session accepted — so hours reach the ledger exactly
 * once, and never before. Issue 19 (recordings) will call this once a session's recording passes
 * its check; until then institution staff or an administrator accept explicitly.
 */
@Injectable()
export class AcceptSession {
  constructor(
    private readonly trail: AuditTrail,
    private readonly sessions: SessionRepository,
    private readonly attendance: AttendanceRepository,
    private readonly ledger: LedgerRepository,
    private readonly trainees: TraineeRepository,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async accept(user: AuthUser, sessionId: string): Promise<AcceptanceResult> {
    const scope = writeScopeOf(user);
    return unlessUnchanged(() =>
      this.trail.commit(auditActorOf(user), async (tx) => {
        const session = await this.sessions.findById(scope, sessionId);
        if (!session) throw offlineError('SESSION_NOT_FOUND');
        if (session.status === 'accepted') throw new NothingChanged<AcceptanceResult>({ session, credited: 0, seconds: 0 });
        const now = new Date(this.clock.now());
        if (now < session.endsAt) throw offlineError('SESSION_NOT_ENDED', { endsAt: session.endsAt });
        let credited = 0;
        let total = 0;
        for (const a of await this.attendance.listBySession(session.id)) {
          const seconds = secondsOf(session, a);
          if (seconds <= 0) continue;
          // The ledger's owner keys as they are now (a login opened after the roster was made).
          const trainee = await this.trainees.findById(OWNER_SCOPE, a.traineeId);
          const { created } = await this.ledger.append(tx, {
            idempotencyKey: offlineLedgerKey(session.id, a.traineeId),
            traineeId: a.traineeId,
            programId: a.programId,
            institutionId: a.institutionId,
            regionCode: trainee?.enterpriseRegionCode ?? a.regionCode,
            userId: trainee?.userId,
            source: ledgerSourceOf(session.kind),
            seconds,
            sessionId: session.id,
            evidence: a.captures.map((c) => c.key),
            by: user.id,
            occurredAt: session.startsAt,
          });
          if (created) credited++;
          total += seconds;
        }
        if (!(await this.sessions.markAccepted(session.id, now, user.id))) throw offlineError('SESSION_ACCEPTED');
        const accepted = { ...session, status: 'accepted' as const, acceptedAt: now, acceptedBy: user.id };
        tx.record({ action: 'offline-session.accept', target: { type: 'offline-session', id: session.id }, tenant: offlineTenant(session), before: { status: 'scheduled' }, after: { status: 'accepted', credited, seconds: total } });
        return { session: accepted, credited, seconds: total };
      }),
    );
  }
}
