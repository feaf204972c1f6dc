import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromptView } from '@app/study';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { liveFrame, makeTestVideo, ok, prepareStudy, StudyClient, studyEnv, StudyFixture } from '../support/study';
import { creditedBy, refusalCodes, ScriptedPlayer } from '../support/study-player';

/** Anti-idle prompts (防挂机) as often as the settings allow: every 10 s, 5 s to answer. */
describe('anti-idle prompts (scripted player)', () => {
  let t: MediaApp;
  let fx: StudyFixture;
  let videoDir: string;
  let client: StudyClient | undefined;

  beforeAll(async () => {
    videoDir = await mkdtemp(join(tmpdir(), 'study-video-'));
    t = await startMediaApp(
      'study-prompts',
      studyEnv({ STUDY_PROMPT_INTERVAL_MIN_SECONDS: '10', STUDY_PROMPT_INTERVAL_MAX_SECONDS: '10', STUDY_PROMPT_WINDOW_SECONDS: '5' }),
    );
    fx = await prepareStudy(t.baseUrl, t.passwords, { video: await makeTestVideo(videoDir, 60) });
  }, 300_000);
  afterAll(async () => {
    client?.disconnect();
    await t?.stop();
    await rm(videoDir, { recursive: true, force: true });
  });

  it('an unanswered prompt stops crediting from its time; answering the next one resumes it', async () => {
    client = await StudyClient.connect(t.baseUrl, fx.tokens.trainee);
    const view = ok(await client.open(fx.lessonId));
    expect(ok(await client.capture(view.sessionId, view.checks.face!.id, await liveFrame('obama-2.jpg'))).outcome).toBe('match');
    const p = new ScriptedPlayer(client, view);

    // Play until the first prompt shows up (due 10 s after the pass).
    let first: PromptView | undefined;
    for (let i = 0; i < 15 && !first; i++) first = (await p.play(1)).find((a) => a.checks.prompt?.status === 'outstanding')?.checks.prompt;
    expect(first).toBeDefined();
    expect(first!.choices).toContain(first!.question.replace(/\D+/g, ''));
    const creditedBefore = creditedBy(p.acks);
    expect(creditedBefore).toBeGreaterThan(5);

    // Ignore it past its 5 s window (plus one heartbeat): nothing is credited from its time on.
    const ignored = await p.play(7);
    expect(creditedBy(ignored)).toBe(0);
    expect(refusalCodes(ignored)).toEqual(expect.arrayContaining(['PROMPT_MISSED']));
    // A new prompt follows at once; answering it right resumes crediting.
    const second = ignored[ignored.length - 1].checks.prompt!;
    expect(second.id).not.toBe(first!.id);
    expect(second.status).toBe('outstanding');
    const wrongFirst = await client.answer(view.sessionId, first!.id, first!.question.replace(/\D+/g, ''));
    expect('error' in wrongFirst && wrongFirst.error.code).toBe('CHECK_NOT_OUTSTANDING');
    const answered = ok(await client.answer(view.sessionId, second.id, second.question.replace(/\D+/g, '')));
    expect(answered).toMatchObject({ passed: true, prompt: { status: 'passed' } });
    // What was watched while the answered prompt was outstanding counts now.
    expect(answered.credited).toBeGreaterThanOrEqual(0);
    const resumed = await p.play(3);
    expect(creditedBy(resumed)).toBeGreaterThan(0);

    const closed = ok(await client.close(view.sessionId));
    expect(closed.settledSeconds).toBe(creditedBy(p.acks) + answered.credited);
  }, 120_000);
});
