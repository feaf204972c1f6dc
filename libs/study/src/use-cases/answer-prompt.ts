import { Injectable, Inject } from '@nestjs/common';
import { auditActorOf, AuthUser } from '@app/identity';
import type { PromptAck } from '../protocol/study-protocol';
import { studyError } from '../study.errors';
import { sessionEntry } from '../session/session-audit';
import { applyAnswer, sessionTotals } from '../session/session-rules';
import { Decision, ownSessions, StudySessionStore } from '../session/session-store';
import type { NumberedPrompt } from '../session/study-session';
import { promptView } from '../session/session-views';
import { StudySettings, StudySettingsToken } from '../session/study-settings';

export interface AnswerPromptCommand {
  readonly user: AuthUser;
  readonly sessionId: string;
  readonly promptId: string;
  readonly answer: string;
}

export const PROMPT_ANSWER_MESSAGES = {
  passed: '确认成功，继续学习',
  failed: '选择错误，自提示时起不计学时，请完成下一次确认',
} as const;

/** The trainee's answer to an anti-idle prompt (防挂机): a pass releases what was watched under it, a wrong answer forfeits it. */
@Injectable()
export class AnswerPrompt {
  constructor(
    private readonly store: StudySessionStore,
    @Inject(StudySettingsToken) private readonly settings: StudySettings,
  ) {}

  async execute(cmd: AnswerPromptCommand): Promise<PromptAck> {
    const { result } = await this.store.mutate(
      cmd.sessionId,
      (s, now): Decision<{ prompt: NumberedPrompt; credited: number }> => {
        const out = applyAnswer(s, Number(cmd.promptId), cmd.answer, now, this.settings);
        if (!out.transition.ok) return { refused: studyError('CHECK_NOT_OUTSTANDING', { promptId: cmd.promptId }), next: out.session };
        const credited = sessionTotals(out.session).sessionCreditedSeconds - sessionTotals(s).sessionCreditedSeconds;
        return { next: out.session, result: { prompt: out.transition.check, credited } };
      },
      {
        scope: ownSessions(cmd.user),
        actor: auditActorOf(cmd.user),
        record: (_prev, next) => [sessionEntry('study-session.prompt.answer', next, { promptNo: next.prompt?.no, status: next.prompt?.status })],
      },
    );
    const passed = result.prompt.status === 'passed';
    return { prompt: promptView(result.prompt), credited: result.credited, passed, message: PROMPT_ANSWER_MESSAGES[passed ? 'passed' : 'failed'] };
  }
}
