import { Inject, Injectable, Logger } from '@nestjs/common';
import { auditActorOf, AuthUser } from '@app/identity';
import { Clock, ClockToken } from '@app/platform';
import type { Heartbeat } from '../crediting/credit';
import { StudySessionRepository } from '../persistence/study-session.repository';
import type { HeartbeatAck, SessionEndedEvent } from '../protocol/study-protocol';
import { applyHeartbeat, isLessonComplete } from '../session/session-rules';
import { ownSessions, StudySessionStore } from '../session/session-store';
import { checksView, endedEvent, refusalViews, totalsView } from '../session/session-views';
import { StudySettings, StudySettingsToken } from '../session/study-settings';

export interface RecordHeartbeatCommand {
  readonly user: AuthUser;
  readonly sessionId: string;
  readonly heartbeat: Heartbeat;
  /**
   * When the transport took the message off the wire. Crediting measures intervals between
   * arrivals, so time a heartbeat then spends waiting (authorisation, the session's lock, the
   * database) does not make the next one look like a jump ahead.
   */
  readonly receivedAt?: number;
}

export interface RecordHeartbeatResult {
  readonly ack: HeartbeatAck;
  /** Checks this heartbeat issued, for the transport to push to the client. */
  readonly issued: readonly ('face' | 'prompt')[];
  /** The session ended on the way (a missed check was the last failure allowed): tell the client now. */
  readonly ended?: SessionEndedEvent;
}

/** One player heartbeat: credited (or refused, with every reason kept as evidence) by the session rules. */
@Injectable()
export class RecordHeartbeat {
  private readonly logger = new Logger('StudyHeartbeat');

  constructor(
    private readonly store: StudySessionStore,
    private readonly repo: StudySessionRepository,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async execute(cmd: RecordHeartbeatCommand): Promise<RecordHeartbeatResult> {
    const hb = cmd.heartbeat;
    const at = cmd.receivedAt === undefined ? undefined : Math.min(cmd.receivedAt, this.clock.now());
    const { session, result } = await this.store.mutate(
      cmd.sessionId,
      (s, now) => {
        const out = applyHeartbeat(s, hb, now, this.settings);
        return { next: out.session, result: out };
      },
      { scope: ownSessions(cmd.user), at, actor: auditActorOf(cmd.user) },
    );
    if (result.result.refusals.length > 0) {
      await this.repo.recordRefusals(session.id, hb.seq, session.lastSeenAt, result.result.refusals).catch((e: unknown) => {
        // Evidence matters, but losing a refusal record must not undo the credit decision already saved.
        this.logger.error({ err: e, sessionId: session.id }, '拒绝记录写入失败 (refusal record not written)');
      });
    }
    return {
      ack: {
        sessionId: session.id,
        seq: hb.seq,
        accepted: result.result.accepted,
        credited: result.result.credited,
        refusals: refusalViews(result.result.refusals),
        furthestPosition: session.credit.furthestPosition,
        totals: totalsView(session),
        checks: checksView(session),
        lessonComplete: isLessonComplete(session),
      },
      issued: result.issued,
      ended: endedEvent(session),
    };
  }
}
