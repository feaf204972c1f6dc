import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditEntry, AuditTrail } from '@app/audit';
import { AuthUser, tenantScopeOf, TenantScope } from '@app/identity';
import { LedgerRepository } from '@app/ledger';
import { AppError, Clock, ClockToken } from '@app/platform';
import { SessionVersionConflict, StudySessionRepository } from '../persistence/study-session.repository';
import { studyError, StudyErrorCode } from '../study.errors';
import { STUDY_HOUSEKEEPING_SCOPE } from './ledger-scope';
import { SessionLocks } from './session-locks';
import { flushCredit, sessionEntry, sessionTransitions, STUDY_SWEEP_ACTOR } from './session-audit';
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
  /** Who acts: the trainee (their own verbs) or the platform (housekeeping); recorded with every audited change. */
  readonly actor: AuditActor;
  /** The verb's own records for an accepted decision (a capture judged, a prompt answered); transitions are added by the store. */
  readonly record?: (prev: StudySession, next: StudySession) => readonly AuditEntry[];
}

/**
 * Load → decide → conditional save for every change to a study session, under a per-session lock
 * in this process and an optimistic version check across processes. A version conflict reloads
 * and decides again — only the decision is re-run, which is why decisions do no I/O.
 *
 * A change worth recording (the verb's own records, a check timing out, the session ending, a
 * settlement) is saved in one audit commit with its records; a settlement's ledger credit is in
 * the same transaction, so credited seconds are never in the session without the ledger or the
 * reverse. A plain heartbeat records nothing and is a single conditional update. The session's
 * lock is always taken outside the commit, never inside, so a commit waiting for its chain's turn
 * never holds a turn another session's commit waits for.
 */
@Injectable()
export class StudySessionStore {
  private readonly locks = new SessionLocks();
  /** Live sessions this process saved last, by `<userId>:<sessionId>`: saves a read per message; a stale copy fails its version check. */
  private readonly cached = new Map<string, StudySession>();

  constructor(
    private readonly repo: StudySessionRepository,
    private readonly ledger: LedgerRepository,
    private readonly trail: AuditTrail,
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
          if (s.flushing) s = await this.finishPendingFlush(s, opts.actor);
          if (s.status !== 'active' && !opts.allowEnded) {
            throw studyError(ENDED_ERRORS[s.status] ?? 'SESSION_ENDED', { status: s.status });
          }
          const decided = decide(s, opts.at ?? this.clock.now());
          if ('refused' in decided) {
            // Another process may have moved the session on since this one cached it: refuse only on what is stored.
            if (cached && s === cached) throw new SessionVersionConflict(sessionId);
            // A refused action may still have advanced the session (a timeout noticed on the way): keep that.
            if (decided.next && decided.next !== s) await this.persist(s, decided.next, [], opts.actor).catch(() => undefined);
            throw decided.refused;
          }
          if (decided.next === s) return { session: s, result: decided.result };
          const saved = await this.persist(s, decided.next, opts.record?.(s, decided.next) ?? [], opts.actor);
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
  async end(sessionId: string, code: SessionEndCode, scope: TenantScope, actor: AuditActor): Promise<StudySession> {
    const { session } = await this.mutate(sessionId, (s, now) => ({ next: endSession(s, code, now, this.settings), result: undefined }), { allowEnded: true, scope, actor });
    return session;
  }

  /** Finishes a ledger write a crashed process left pending (a no-op decision: the load does it), on the stored session. */
  async settlePending(sessionId: string): Promise<void> {
    await this.mutate(sessionId, (s) => ({ next: s, result: undefined }), { allowEnded: true, scope: STUDY_HOUSEKEEPING_SCOPE, actor: STUDY_SWEEP_ACTOR });
  }

  /** Whether the user studies this lesson right now: the content key is only handed out then. */
  hasLiveSession(user: AuthUser, lessonId: string): Promise<boolean> {
    return this.repo.hasActive(ownSessions(user), user.id, lessonId);
  }

  /**
   * Saves `next` over `prev`: alone when nothing in it is worth a record, else in one audit commit
   * with its records and, when it starts a settlement, the ledger credit (the flush never rests in
   * the stored session, so nothing is left half-written for the sweep to finish).
   */
  private async persist(prev: StudySession, next: StudySession, own: readonly AuditEntry[], actor: AuditActor): Promise<StudySession> {
    const entries = [...own, ...sessionTransitions(prev, next)];
    const flush = next.flushing;
    if (entries.length === 0 && !flush) return this.remember(await this.repo.save(next, prev));
    const saved = await this.trail.commit(actor, async (tx) => {
      const stored = await this.repo.save(flush ? finishFlush(next) : next, prev);
      const credited = flush ? await this.ledger.append(tx, flushCredit(next, flush)) : undefined;
      for (const e of entries) tx.record(e);
      // A credit already in the ledger records nothing itself: the settlement still says what happened.
      if (entries.length === 0 && !credited?.created) tx.record(sessionEntry('study-session.settle', stored, { flushNo: flush!.no, seconds: flush!.seconds }));
      return stored;
    });
    return this.remember(saved);
  }

  /** The saved session becomes this process's cached copy while it is live; only after its commit, so the cache never holds what did not commit. */
  private remember(saved: StudySession): StudySession {
    const key = `${saved.userId}:${saved.id}`;
    this.cached.delete(key);
    if (saved.status === 'active') {
      // Oldest first out: a Map iterates in insertion order, and a re-inserted key moves to the end.
      if (this.cached.size >= CACHE_LIMIT) this.cached.delete(this.cached.keys().next().value!);
      this.cached.set(key, saved);
    }
    return saved;
  }

  /** A ledger write a process left pending before settlements became transactional: written (idempotently) with the flush cleared, in one commit. */
  private finishPendingFlush(s: StudySession, actor: AuditActor): Promise<StudySession> {
    return this.persist(s, s, [], actor);
  }
}
