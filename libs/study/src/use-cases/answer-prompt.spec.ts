// Medium spec: AnswerPrompt against the real database, with a clock the test moves.
import { codeOf, studying, StudyMedium, studyMedium, EVERYONE } from '../../test-support/study-medium';

let m: StudyMedium;
beforeAll(async () => {
  // A prompt within two minutes of the start pass; no random face checks meanwhile.
  m = await studyMedium('answer-prompt', { faceIntervalMinSeconds: 3000, faceIntervalMaxSeconds: 3600, promptIntervalMinSeconds: 60, promptIntervalMaxSeconds: 120, promptWindowSeconds: 60 });
});
afterAll(() => m?.stop());

async function untilPrompt(p: Awaited<ReturnType<typeof studying>>) {
  for (let i = 0; i < 12; i++) {
    const { ack } = await p.play(15);
    if (ack.checks.prompt?.status === 'outstanding') return ack.checks.prompt;
  }
  throw new Error('no prompt issued');
}

/** The answer is the number the question shows. */
const rightAnswer = (question: string) => /(\d+)\s*$/.exec(question)![1];

describe('AnswerPrompt', () => {
  it('the right answer passes and releases what was watched while the prompt was open', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const prompt = await untilPrompt(p);
    const { ack } = await p.play(15);
    expect(ack.credited).toBe(0);
    expect(ack.refusals.map((r) => r.code)).toContain('PROMPT_OUTSTANDING');
    const answered = await m.answer.execute({ user: t.user, sessionId: p.sessionId, promptId: prompt.id, answer: rightAnswer(prompt.question) });
    expect(answered).toMatchObject({ passed: true, credited: 15, message: '确认成功，继续学习' });
    expect((await p.play(15)).ack.credited).toBe(15);
  });

  it('a wrong answer forfeits what was watched under the prompt and issues the next one at once', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const prompt = await untilPrompt(p);
    await p.play(15);
    const wrong = prompt.choices.find((c) => c !== rightAnswer(prompt.question))!;
    const answered = await m.answer.execute({ user: t.user, sessionId: p.sessionId, promptId: prompt.id, answer: wrong });
    expect(answered).toMatchObject({ passed: false, credited: 0 });
    const { ack } = await p.play(15);
    expect(ack.credited).toBe(0);
    expect(ack.checks.prompt).toMatchObject({ status: 'outstanding' });
    expect(Number(ack.checks.prompt!.id)).toBe(Number(prompt.id) + 1);
  });

  it('an answer after the window is refused and the miss is recorded', async () => {
    const t = m.newTrainee();
    const p = await studying(m, t);
    const prompt = await untilPrompt(p);
    m.clock.advanceSeconds(61);
    expect(await codeOf(m.answer.execute({ user: t.user, sessionId: p.sessionId, promptId: prompt.id, answer: rightAnswer(prompt.question) }))).toBe('CHECK_NOT_OUTSTANDING');
    expect((await m.repo.findById(EVERYONE, p.sessionId))!.prompt!.status).toBe('timed-out');
  });
});
