import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, tenantScopeOf, TenantScope } from '@app/identity';
import { LedgerRepository } from '@app/ledger';
import { AppError, Clock, ClockToken } from '@app/platform';
import { SessionVersionConflict, StudySessionRepository } from '../persistence/study-session.repository';
import { studyError, StudyErrorCode } from '../study.errors';
import { STUDY_HOUSEKEEPING_SCOPE } from './ledger-scope';
import { SessionLocks } from './session-locks';
import { endSession, finishFlush, SessionEndCode } from './session-rules';
import type { StudySession } from './study-session';
import { StudySettings, StudySettingsToken } from './study-settings';

const ATTEMPTS = 4;

/** How a message to an ended session is refused, where its status has more to say than 本次学习已结束. */
const ENDED_ERRORS: Partial<Record<StudySession['status'], StudyErrorCode>> = { superseded: 'SESSION_SUPERSEDED', terminated: 'SESSION_TERMINATED' };

/**
 * The scope every study verb acts in: the trainee's own sessions. Nobody studies on someone else's
 * behalf, so staff and administrators, whose scopes are wider, are refused rather than let in.
 */
export function ownSessions(user: AuthUser): TenantScope {
  const scope = tenantScopeOf(user);
  if (scope.kind !== 'self') throw AppError.of('FORBIDDEN', { reason: 'not-a-trainee' });
  return scope;
}
/** Live sessions kept in memory per process (a few KB each). */
const CACHE_LIMIT = 50_000;

/**
 * What a use case decides about a loaded session: the session to save and what to answer, or a
 * refusal — which may still carry a session that moved on (a timeout noticed on the way) and is kept.
 * Decisions are pure and synchronous: anything slow (the face engine, evidence) happens before.
 */
export type Decision<T> =
  | { readonly next: StudySession; readonly result: T }
  | { readonly refused: AppError; readonly next?: StudySession };

export interface MutateOptions {
  /** Ended sessions may be touched (settling, finishing a flush); otherwise they are refused. */
  readonly allowEnded?: boolean;
  /** The server time the action happened (when its message came off the wire); default: now. */
  readonly at?: number;
  /**
   * Whose session it may be: a trainee's own (their `self` scope) or, for housekeeping, every
   * tenant's. Only a trainee's own sessions are served from this process's cache, keyed by their
   * login, so a cached copy is never handed to someone the stored one would not be.
   */
  readonly scope: TenantScope;
}

/**
 * Load → decide → conditional save for every change to a study session, under a per-session lock
 * in this process and an optimistic version check across processes. A pending ledger write is
 * finished first, and the one a decision starts is written before returning, so an acknowledged
 * credit is in the database. A version conflict reloads and decides again — only the decision is
 * re-run, which is why decisions do no I/O.
 */
@Injectable()
export class StudySessionStore {
  private readonly locks = new SessionLocks();
  /** Live sessions this process saved last, by `<userId>:<sessionId>`: saves a read per message; a stale copy fails its version check. */
  private readonly cached = new Map<string, StudySession>();

  constructor(
    private readonly repo: StudySessionRepository,
    private readonly ledger: LedgerRepository,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  /** The session as stored now, for checks before slow work; decisions are still made in {@link mutate}. */
  async load(sessionId: string, scope: TenantScope): Promise<StudySession> {
    const s = await this.repo.findById(scope, sessionId);
    if (!s) throw studyError('SESSION_NOT_FOUND');
    return s;
  }

  async mutate<T>(sessionId: string, decide: (s: StudySession, now: number) => Decision<T>, opts: MutateOptions): Promise<{ session: StudySession; result: T }> {
    const cacheKey = opts.scope.kind === 'self' ? `${opts.scope.userId}:${sessionId}` : undefined;
    return this.locks.run(sessionId, async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const cached = attempt === 0 && cacheKey ? this.cached.get(cacheKey) : undefined;
        let s = cached ?? (await this.repo.findById(opts.scope, sessionId));
        if (!s) throw studyError('SESSION_NOT_FOUND');
        try {
          if (s.flushing) s = await this.finishPendingFlush(s);
          if (s.status !== 'active' && !opts.allowEnded) {
            throw studyError(ENDED_ERRORS[s.status] ?? 'SESSION_ENDED', { status: s.status });
          }
          const decided = decide(s, opts.at ?? this.clock.now());
          if ('refused' in decided) {
            // Another process may have moved the session on since this one cached it: refuse only on what is stored.
            if (cached && s === cached) throw new SessionVersionConflict(sessionId);
            // A refused action may still have advanced the session (a timeout noticed on the way): keep that.
            if (decided.next && decided.next !== s) await this.save(decided.next, s).catch(() => undefined);
            throw decided.refused;
          }
          if (decided.next === s) return { session: s, result: decided.result };
          let saved = await this.save(decided.next, s);
          if (saved.flushing) saved = await this.finishPendingFlush(saved);
          return { session: saved, result: decided.result };
        } catch (e) {
          if (cacheKey) this.cached.delete(cacheKey);
          if (!(e instanceof SessionVersionConflict)) throw e;
        }
      }
      throw studyError('SESSION_BUSY');
    });
  }

  /** Ends a session (superseded, abandoned, closed); settles what the rules allow. */
  async end(sessionId: string, code: SessionEndCode, scope: TenantScope): Promise<StudySession> {
    const { session } = await this.mutate(sessionId, (s, now) => ({ next: endSession(s, code, now, this.settings), result: undefined }), { allowEnded: true, scope });
    return session;
  }

  /** Finishes a ledger write a crashed process left pending (a no-op decision: the load does it), on the stored session. */
  async settlePending(sessionId: string): Promise<void> {
    await this.mutate(sessionId, (s) => ({ next: s, result: undefined }), { allowEnded: true, scope: STUDY_HOUSEKEEPING_SCOPE });
  }

  /** Whether the user studies this lesson right now: the content key is only handed out then. */
  hasLiveSession(user: AuthUser, lessonId: string): Promise<boolean> {
    return this.repo.hasActive(ownSessions(user), user.id, lessonId);
  }

  /** Conditional save over `prev`; the saved session becomes this process's cached copy while it is live. */
  private async save(next: StudySession, prev: StudySession): Promise<StudySession> {
    const saved = await this.repo.save(next, prev);
    const key = `${saved.userId}:${saved.id}`;
    this.cached.delete(key);
    if (saved.status === 'active') {
      // Oldest first out: a Map iterates in insertion order, and a re-inserted key moves to the end.
      if (this.cached.size >= CACHE_LIMIT) this.cached.delete(this.cached.keys().next().value!);
      this.cached.set(key, saved);
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

