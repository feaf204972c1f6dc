import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { auditActorOf, AuthUser } from '@app/identity';
import { LedgerRepository } from '@app/ledger';
import { Clock, ClockToken } from '@app/platform';
import { ActiveSessionExists, StudySessionRepository } from '../persistence/study-session.repository';
import type { StudySessionView } from '../protocol/study-protocol';
import { studyError } from '../study.errors';
import { STUDY_LEDGER_SCOPE } from '../session/ledger-scope';
import { sessionEntry } from '../session/session-audit';
import { openSession } from '../session/session-rules';
import { ownSessions, StudySessionStore } from '../session/session-store';
import { sessionView } from '../session/session-views';
import { StudyAccess, StudyAccessToken } from '../session/study-access';
import { StudySettings, StudySettingsToken } from '../session/study-settings';
import type { SessionClient } from '../session/study-session';
import { StudyWatch, StudyWatchToken } from '../session/study-watch';

export interface OpenStudySessionCommand {
  readonly user: AuthUser;
  readonly lessonId: string;
  /** The session this client had: resumed if it is still the trainee's live session of that lesson. */
  readonly resumeSessionId?: string;
  readonly device?: string;
  readonly client?: SessionClient;
}

export interface OpenStudySessionResult {
  readonly view: StudySessionView;
  /** Sessions of the trainee this one ended (another device or tab), so the transport can tell their clients. */
  readonly superseded: readonly string[];
}

const ATTEMPTS = 4;

/** Bounded copies, and nothing stored when nothing is known (the session stays as it was without one). */
function clientOf(c: SessionClient | undefined): SessionClient | undefined {
  if (!c) return undefined;
  const out = { address: c.address?.slice(0, 64) || undefined, userAgent: c.userAgent?.slice(0, 300) || undefined, fingerprint: c.fingerprint?.slice(0, 64) || undefined };
  return out.address || out.userAgent || out.fingerprint ? (JSON.parse(JSON.stringify(out)) as SessionClient) : undefined;
}

/**
 * Opens a session for a lesson, or resumes the caller's live one. Any other live session of the
 * trainee ends (superseded): one device at a time, held by the repository's unique index on active
 * sessions, so it holds across API processes too. Last opener wins.
 */
@Injectable()
export class OpenStudySession {
  constructor(
    private readonly store: StudySessionStore,
    private readonly repo: StudySessionRepository,
    private readonly ledger: LedgerRepository,
    private readonly trail: AuditTrail,
    @Inject(StudyAccessToken) private readonly access: StudyAccess,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
    @Inject(ClockToken) private readonly clock: Clock,
    @Inject(StudyWatchToken) private readonly watch: StudyWatch,
  ) {}

  async execute(cmd: OpenStudySessionCommand): Promise<OpenStudySessionResult> {
    const access = await this.access.resolve(cmd.user, cmd.lessonId);
    if (cmd.resumeSessionId) {
      const resumed = await this.tryResume(cmd);
      if (resumed) return { view: resumed, superseded: [] };
    }
    if ((await this.access.references(access.owner.traineeId)).length === 0) throw studyError('FACE_REFERENCE_MISSING');
    const scope = ownSessions(cmd.user);
    const actor = auditActorOf(cmd.user);
    const superseded: string[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const live = await this.repo.findActiveByUser(scope, cmd.user.id);
      if (live) {
        await this.store.end(live.id, 'SUPERSEDED', scope, actor);
        superseded.push(live.id);
        continue;
      }
      const [credited, totals, watchFactor] = await Promise.all([
        this.ledger.creditedLessonIntervals(STUDY_LEDGER_SCOPE, access.owner.traineeId, access.lesson.lessonId),
        this.ledger.totalsForTrainee(STUDY_LEDGER_SCOPE, access.owner.traineeId, access.owner.programId),
        this.watch.factorFor(access.owner, this.clock.now()),
      ]);
      const session = openSession(
        {
          id: StudySessionRepository.newId(),
          ...access.owner,
          ...access.lesson,
          lessonDuration: access.lessonDuration,
          credited,
          base: { programSeconds: totals.seconds, onlineSeconds: totals.bySource.online },
          device: cmd.device?.slice(0, 120),
          client: clientOf(cmd.client),
          ...(watchFactor > 1 ? { watchFactor } : {}),
        },
        this.clock.now(),
        this.settings,
      );
      try {
        await this.trail.commit(actor, async (tx) => {
          await this.repo.insert(session);
          tx.record(sessionEntry('study-session.open', session, { lessonId: session.lessonId, courseId: session.courseId, programId: session.programId, device: session.device, superseded, watchFactor: session.watchFactor }));
        });
        return { view: sessionView(session, false, this.settings.credit), superseded };
      } catch (e) {
        // Another device opened one in between: end it too and try again.
        if (!(e instanceof ActiveSessionExists)) throw e;
      }
    }
    throw studyError('SESSION_BUSY');
  }

  private async tryResume(cmd: OpenStudySessionCommand): Promise<StudySessionView | undefined> {
    const scope = ownSessions(cmd.user);
    const s = await this.repo.findById(scope, cmd.resumeSessionId!);
    if (!s || s.lessonId !== cmd.lessonId || s.status !== 'active') return undefined;
    const { session } = await this.store.mutate(s.id, (current, now) => ({ next: { ...current, lastSeenAt: now }, result: undefined }), { scope, actor: auditActorOf(cmd.user) });
    return sessionView(session, true, this.settings.credit);
  }
}
