import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, ClockToken } from '@app/platform';
import { StudySessionRepository } from '../persistence/study-session.repository';
import { STUDY_HOUSEKEEPING_SCOPE } from '../session/ledger-scope';
import { STUDY_SWEEP_ACTOR } from '../session/session-audit';
import { StudySessionStore } from '../session/session-store';
import { StudySettings, StudySettingsToken } from '../session/study-settings';

/**
 * Housekeeping: finishes ledger writes a crashed process left half-done, and ends (abandoned)
 * sessions whose client has gone quiet for the idle timeout. Returns how many sessions it touched.
 */
@Injectable()
export class SweepStudySessions {
  private readonly logger = new Logger('StudySweeper');

  constructor(
    private readonly store: StudySessionStore,
    private readonly repo: StudySessionRepository,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    let touched = 0;
    for (const s of await this.repo.listFlushing(STUDY_HOUSEKEEPING_SCOPE)) {
      await this.store.settlePending(s.id);
      touched++;
    }
    for (const s of await this.repo.listIdle(STUDY_HOUSEKEEPING_SCOPE, this.clock.now() - this.settings.idleTimeoutMs)) {
      await this.store.end(s.id, 'ABANDONED', STUDY_HOUSEKEEPING_SCOPE, STUDY_SWEEP_ACTOR).catch((e: unknown) => this.logger.warn({ err: e, sessionId: s.id }, '结束空闲会话失败 (idle session not ended)'));
      touched++;
    }
    return touched;
  }
}
