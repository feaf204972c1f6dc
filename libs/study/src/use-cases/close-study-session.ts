import { Injectable } from '@nestjs/common';
import { auditActorOf, AuthUser } from '@app/identity';
import type { SessionClosedView } from '../protocol/study-protocol';
import { SESSION_END_MESSAGES } from '../session/session-rules';
import { ownSessions, StudySessionStore } from '../session/session-store';

export interface CloseStudySessionCommand {
  readonly user: AuthUser;
  readonly sessionId: string;
}

/** The trainee leaves the lesson: the session ends and settles what its checks vouch for. Closing twice answers the same. */
@Injectable()
export class CloseStudySession {
  constructor(private readonly store: StudySessionStore) {}

  async execute(cmd: CloseStudySessionCommand): Promise<SessionClosedView> {
    const scope = ownSessions(cmd.user);
    const before = await this.store.load(cmd.sessionId, scope);
    const s = before.status === 'active' ? await this.store.end(before.id, 'CLOSED', scope, auditActorOf(cmd.user)) : before;
    return {
      sessionId: s.id,
      status: s.status,
      settledSeconds: s.settledSeconds,
      voidedSeconds: s.voidedSeconds,
      message: s.endReason?.message ?? SESSION_END_MESSAGES.CLOSED,
    };
  }
}
