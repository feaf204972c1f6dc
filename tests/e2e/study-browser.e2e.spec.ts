// Online study through the console's own player in headless Chromium with a fake webcam
// (../shared/TESTING.md): the enrolled trainee's face is credited the lesson, another person's
// face and a frame with two people are refused at the first check, with the capture on record.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { MyProgressView, StudySessionRecordView, StudySessionSummaryView } from '@app/study';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { formatDuration } from '../../apps/web/src/pages/shared/duration';
import { call, login } from '../support/auth-client';
import { buildConsole, CameraFit, inTab, launchBrowser, loginAt, makeFakeCameraY4m, screenshot } from '../support/browser';
import { FACES_DIR, makeTestVideo, prepareStudy, StudyFixture } from '../support/study';

const HEARTBEAT_SECONDS = 2;
const SHOTS = path.join(tmpdir(), 'gsyf-study-browser-shots');

/**
 * The fake camera for a photo (tests/support/browser.ts): portraits letterboxed; the wide
 * two-people photo cropped to 4:3 (both faces stay inside) — letterboxed, the detector finds only
 * one of its two faces (checked with FaceEngine.analyse: one face at 0.82 letterboxed, two at 0.99 cropped).
 */
const cameraFeed = (image: string, fit: CameraFit = 'letterbox') => makeFakeCameraY4m(path.join(FACES_DIR, image), fit);

/** The API as a process serving the console built for this file, with a trainee enrolled from obama-1.jpg. */
interface StudySite {
  t: MediaApp;
  fx: StudyFixture;
  /** The trainee's password after prepareStudy's forced change (activate adds this suffix). */
  password: string;
}

let distDir: string;

beforeAll(async () => {
  distDir = await fs.mkdtemp(path.join(tmpdir(), 'gsyf-study-web-'));
  await fs.mkdir(SHOTS, { recursive: true });
  await buildConsole(distDir);
}, 120_000);

afterAll(async () => {
  if (distDir) await fs.rm(distDir, { recursive: true, force: true });
});

async function startSite(name: string, env: Record<string, string>, opts: Parameters<typeof prepareStudy>[2]): Promise<StudySite> {
  const t = await startMediaApp(name, { WEB_DIST_DIR: distDir, STUDY_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS), ...env });
  try {
    const fx = await prepareStudy(t.baseUrl, t.passwords, { reference: 'obama-1.jpg', ...opts });
    const initial = t.passwords.get('trainee')!;
    const password = (await login(t.baseUrl, 'trainee', `${initial}-Neu9`)).status === 200 ? `${initial}-Neu9` : initial;
    return { t, fx, password };
  } catch (e) {
    await t.stop();
    throw e;
  }
}

/** One browser per camera feed: Chromium takes the fake camera file at launch. */
async function withCamera(image: string, scenario: (page: Page) => Promise<void>, fit: CameraFit = 'letterbox'): Promise<void> {
  const feed = await cameraFeed(image, fit);
  const launched = await launchBrowser({ fakeCameraY4m: feed });
  try {
    // A phone-width window: the player has to work there.
    await inTab(
      launched.browser,
      async (page) => {
        // A real webcam runs on between checks; Chromium's fake one restarts its file at every
        // getUserMedia, so every check would capture the same frame (the server refuses that as a
        // replay). A stream each page holds open keeps the fake camera running like a real one.
        await page.addInitScript(() => {
          void navigator.mediaDevices
            ?.getUserMedia({ video: true })
            .then((s) => ((window as unknown as { heldCamera?: MediaStream }).heldCamera = s))
            .catch(() => undefined);
        });
        await scenario(page);
      },
      { viewport: { width: 390, height: 844 }, allowHttpRefusals: true },
    );
  } finally {
    await launched.close();
    await fs.rm(feed, { force: true });
  }
}

const lessonPath = (lessonId: string) => `/trainee/courses/lessons/${lessonId}`;

async function progressOf(site: StudySite, lessonId: string) {
  const progress = (await call<MyProgressView>(site.t.baseUrl, 'GET', '/api/v1/study/me/progress', { token: site.fx.tokens.trainee })).body;
  const lesson = progress.programs.flatMap((p) => p.courses).flatMap((c) => c.lessons).find((l) => l.lessonId === lessonId);
  return { lesson, progress };
}

/** The study session the page has open (the player keeps its id per lesson in sessionStorage). */
const sessionIdIn = (page: Page, lessonId: string) => page.evaluate((key) => sessionStorage.getItem(key), `gsyf.study.session.${lessonId}`);

async function recordOf(site: StudySite, sessionId: string | null): Promise<StudySessionRecordView> {
  const { baseUrl } = site.t;
  const token = site.fx.tokens.trainee;
  const sessions = (await call<{ items: StudySessionSummaryView[] }>(baseUrl, 'GET', '/api/v1/study/me/sessions?limit=10', { token })).body.items;
  expect(sessions.map((s) => s.id)).toContain(sessionId);
  return (await call<StudySessionRecordView>(baseUrl, 'GET', `/api/v1/study/sessions/${sessionId}`, { token })).body;
}

/** Waits for the start check's verdict as the face-check modal shows it. */
async function startCheckOutcome(page: Page): Promise<string> {
  const result = page.getByTestId('face-check-result');
  // The engine may still be warming up on the first capture.
  await result.waitFor({ timeout: 120_000 });
  return (await result.getAttribute('data-outcome'))!;
}

/** Opens the lesson as the trainee and waits for the start check's verdict; the session id comes from the page. */
async function startStudying(page: Page, site: StudySite, lessonId: string): Promise<{ outcome: string; sessionId: string | null }> {
  await loginAt(page, site.t.baseUrl, 'trainee', site.password, lessonPath(lessonId));
  const outcome = await startCheckOutcome(page);
  return { outcome, sessionId: await sessionIdIn(page, lessonId) };
}

const play = (page: Page) => page.evaluate(() => (document.querySelector('[data-testid=lesson-video]') as HTMLVideoElement).play().catch(() => undefined));

describe('online study in the console with a fake webcam', () => {
  let site: StudySite;
  /** For the refused faces: nothing may be credited on it, whichever of them runs first. */
  let impostorLessonId: string;
  let resumeLessonId: string;

  beforeAll(async () => {
    site = await startSite(
      'study-browser',
      {
        // Only the session-start and lesson-end checks happen within a 10 s lesson.
        STUDY_FACE_INTERVAL_MIN_SECONDS: '3600',
        // The impostor's session ends at its second failed check rather than the default fifth.
        STUDY_FACE_MAX_FAILURES: '2',
        STUDY_FACE_INTERVAL_MAX_SECONDS: '3600',
        STUDY_PROMPT_INTERVAL_MIN_SECONDS: '3600',
        STUDY_PROMPT_INTERVAL_MAX_SECONDS: '3600',
      },
      { lessons: 3 },
    );
    impostorLessonId = site.fx.lessonIds[1];
    resumeLessonId = site.fx.lessonIds[2];
  }, 300_000);

  afterAll(() => site?.t.stop());

  it('another person in front of the camera: the check is a mismatch, the video stays paused, the re-check fails too and ends the session', async () => {
    let sessionId: string | null = null;
    await withCamera('biden-1.jpg', async (page) => {
      const opened = await startStudying(page, site, impostorLessonId);
      expect(opened.outcome).toBe('mismatch');
      sessionId = opened.sessionId;
      await screenshot(page, SHOTS, 'study-mismatch');
      await page.getByRole('button', { name: '知道了' }).click();
      await page.locator('[data-testid=crediting-state][data-state=face-failed]').waitFor();
      // The dialog says the video cannot be watched now, and it is not: a play is paused at once.
      // The note is a toast that lasts 3 s: look for it right after the play, then let heartbeats pass.
      await play(page);
      await page.getByText('人脸核验未通过，请完成下一次核验后继续学习').first().waitFor();
      await page.waitForTimeout(2 * HEARTBEAT_SECONDS * 1000);
      expect(await page.locator('[data-testid=lesson-video]').evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
      expect(Number(await page.getByTestId('lesson-credited').getAttribute('data-seconds'))).toBe(0);
      // The re-check (after the 20 s retry window) fails as well: the second failure in a row is the
      // last this site allows, and the server ends the session with its reason.
      const ended = page.getByTestId('study-ended');
      await ended.waitFor({ timeout: 90_000 });
      expect(await ended.textContent()).toContain('人脸核验');
      await screenshot(page, SHOTS, 'study-terminated');
    });
    const record = await recordOf(site, sessionId);
    expect(record.session.status).toBe('terminated');
    const starts = record.checks.filter((c) => c.kind === 'face' && c.reason === 'session-start');
    expect(starts.map((c) => [c.status, c.attempts.at(-1)?.outcome])).toEqual([
      ['failed', 'mismatch'],
      ['failed', 'mismatch'],
    ]);
    expect(starts[0].attempts[0].distance).toEqual(expect.any(Number));
    expect((await progressOf(site, impostorLessonId)).lesson?.creditedSeconds ?? 0).toBe(0);
  }, 240_000);

  it('two people in the frame: the check says several faces and nothing is credited; another device takes the session over', async () => {
    let sessionId: string | null = null;
    await withCamera('two-people.jpg', async (page) => {
      const opened = await startStudying(page, site, impostorLessonId);
      expect(opened.outcome).toBe('several-faces');
      sessionId = opened.sessionId;
      await screenshot(page, SHOTS, 'study-several-faces');

      // The same lesson opened on "another device" (own storage, own login): this page is told and stops.
      const other = await page.context().browser()!.newContext({ locale: 'zh-CN' });
      try {
        const second = await other.newPage();
        await loginAt(second, site.t.baseUrl, 'trainee', site.password, lessonPath(impostorLessonId));
        await second.getByTestId('face-check-modal').first().waitFor({ state: 'attached' });
        await page.getByTestId('study-ended').waitFor();
        expect(await page.getByTestId('study-ended').textContent()).toContain('其他设备');
        expect(await page.locator('[data-testid=lesson-video]').evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
        await screenshot(page, SHOTS, 'study-superseded');
      } finally {
        await other.close();
      }
    }, 'crop');
    const record = await recordOf(site, sessionId);
    const start = record.checks.find((c) => c.kind === 'face' && c.reason === 'session-start');
    expect(start?.attempts[0]).toMatchObject({ outcome: 'several-faces', distance: null });
    expect((await progressOf(site, impostorLessonId)).lesson?.creditedSeconds ?? 0).toBe(0);
  }, 240_000);

  it('the enrolled trainee watches the lesson to the end and is credited its duration (± one heartbeat)', async () => {
    let sessionId: string | null = null;
    await withCamera('obama-2.jpg', async (page) => {
      const opened = await startStudying(page, site, site.fx.lessonId);
      expect(opened.outcome).toBe('match');
      sessionId = opened.sessionId;
      // The player starts by itself once the start check passes; make sure it does.
      await page.locator('[data-testid=crediting-state][data-state=crediting]').waitFor();
      await play(page);
      await page.waitForFunction(() => (document.querySelector('[data-testid=lesson-video]') as HTMLVideoElement).currentTime > 1);
      await screenshot(page, SHOTS, 'study-playing');
      // Seeking ahead is put back to the furthest watched point.
      const jumped = await page.evaluate(() => {
        const v = document.querySelector('[data-testid=lesson-video]') as HTMLVideoElement;
        v.currentTime = v.duration - 0.5;
        return new Promise<number>((resolve) => v.addEventListener('seeked', () => resolve(v.currentTime), { once: true }));
      });
      expect(jumped).toBeLessThan(5);
      // Faster than the allowed rate (1×) is put back at once.
      const rate = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const v = document.querySelector('[data-testid=lesson-video]') as HTMLVideoElement;
            v.addEventListener('ratechange', () => setTimeout(() => resolve(v.playbackRate), 0), { once: true });
            v.playbackRate = 2;
          }),
      );
      expect(rate).toBe(1);
      // The lesson-end check comes once every second is credited; its pass completes the session.
      await page
        .getByTestId('study-closed')
        .waitFor({ timeout: 120_000 })
        .catch(async (e: unknown) => {
          // What the page showed instead is the first thing to look at.
          await screenshot(page, SHOTS, 'study-not-completed');
          throw e;
        });
      await screenshot(page, SHOTS, 'study-completed');

      // 我的课程 shows the credit; 学习记录 lists the session with both checks.
      await page.getByRole('button', { name: '返回我的课程' }).last().click();
      await page.waitForURL(`${site.t.baseUrl}/trainee/courses`);
      await page.getByTestId('course-progress').first().waitFor();
      expect(await page.getByTestId('lesson-status').allTextContents()).toContain('已学完');
      await screenshot(page, SHOTS, 'study-my-courses');
      await page.goto(`${site.t.baseUrl}/trainee/records`);
      await page.locator('[data-testid=study-sessions] tbody tr.ant-table-row').first().click();
      await page.getByTestId('session-detail').waitFor();
      expect(await page.locator('[data-testid=check-attempt]').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual(['match', 'match']);
      await screenshot(page, SHOTS, 'study-records');

      // Back to the finished lesson: it asks first, and opens no session (no face check) until asked to.
      const sessionsBefore = (await call<{ items: unknown[] }>(site.t.baseUrl, 'GET', '/api/v1/study/me/sessions', { token: site.fx.tokens.trainee })).body.items.length;
      await page.goto(`${site.t.baseUrl}${lessonPath(site.fx.lessonId)}`);
      await page.getByTestId('lesson-finished').waitFor();
      await screenshot(page, SHOTS, 'study-lesson-finished');
      await page.waitForTimeout(1000);
      expect(await page.getByTestId('face-check-modal').count()).toBe(0);
      expect((await call<{ items: unknown[] }>(site.t.baseUrl, 'GET', '/api/v1/study/me/sessions', { token: site.fx.tokens.trainee })).body.items.length).toBe(sessionsBefore);
      await page.getByRole('button', { name: '重新观看' }).click();
      await page.getByTestId('face-check-modal').first().waitFor({ state: 'attached' });
    });
    const { lesson } = await progressOf(site, site.fx.lessonId);
    const lessonSeconds = lesson!.lessonSeconds;
    expect(lesson!.creditedSeconds).toBeGreaterThanOrEqual(lessonSeconds - HEARTBEAT_SECONDS);
    expect(lesson!.creditedSeconds).toBeLessThanOrEqual(lessonSeconds);
    const record = await recordOf(site, sessionId);
    expect(record.session.status).toBe('completed');
    const reasons = record.checks.filter((c) => c.kind === 'face').map((c) => [c.reason, c.status, c.attempts.at(-1)?.outcome]);
    expect(reasons).toEqual([
      ['session-start', 'passed', 'match'],
      ['lesson-end', 'passed', 'match'],
    ]);

    // The institution answers the trainee's questions from the same evidence: on the trainee's page
    // it sees the credited hours, the session and both checks with their capture images.
    const initial = site.t.passwords.get('yc-institution')!;
    const institutionPassword = (await login(site.t.baseUrl, 'yc-institution', `${initial}-Neu9`)).status === 200 ? `${initial}-Neu9` : initial;
    const plain = await launchBrowser();
    try {
      await inTab(plain.browser, async (page) => {
        await loginAt(page, site.t.baseUrl, 'yc-institution', institutionPassword, `/institution/trainees/${site.fx.traineeId}`);
        const card = page.getByTestId('trainee-study');
        await card.getByTestId('trainee-hours').locator('.ant-descriptions-item', { hasText: '线上学习' }).getByText(formatDuration(lesson!.creditedSeconds)).waitFor();
        await card.locator(`[data-row-key="${sessionId}"]`).click();
        await card.getByTestId('session-detail').waitFor();
        expect(await card.locator('[data-testid=check-attempt]').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual(['match', 'match']);
        // The captures are the real JPEGs from the server, decoded by the browser.
        const captures = card.locator('img[alt=核验抓拍]');
        await captures.nth(1).waitFor();
        await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img[alt=核验抓拍]')].filter((i) => i.complete && i.naturalWidth > 0).length === 2);
        await screenshot(page, SHOTS, 'institution-trainee-study');
      });
    } finally {
      await plain.close();
    }
  }, 300_000);

  it('a reload resumes the same session: no second start check, playback from the furthest point, credit kept', async () => {
    // Another photo than the test before: each browser's fake camera replays its file from the
    // start, so the same photo could hand the server a frame it already holds for this trainee
    // (within a pixel or two of drift), which it rightly refuses as a replay.
    await withCamera('obama-4.jpg', async (page) => {
      const opened = await startStudying(page, site, resumeLessonId);
      expect(opened.outcome).toBe('match');
      const first = opened.sessionId;
      await page.locator('[data-testid=crediting-state][data-state=crediting]').waitFor();
      await play(page);
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=lesson-credited]')?.getAttribute('data-seconds')) >= 3, undefined, {
        timeout: 20_000,
      });
      const credited = Number(await page.getByTestId('lesson-credited').getAttribute('data-seconds'));

      await page.reload();
      await page.getByTestId('credit-panel').waitFor();
      expect(await sessionIdIn(page, resumeLessonId)).toBe(first);
      await page.locator('[data-testid=crediting-state][data-state=crediting]').waitFor();
      expect(await page.getByTestId('face-check-modal').count()).toBe(0);
      expect(Number(await page.getByTestId('lesson-credited').getAttribute('data-seconds'))).toBeGreaterThanOrEqual(credited);
      // hls.js starts at the furthest point the server knows (at least what was credited).
      await page.waitForFunction(() => (document.querySelector('[data-testid=lesson-video]') as HTMLVideoElement).readyState >= 1);
      expect(await page.locator('[data-testid=lesson-video]').evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThanOrEqual(credited - 1);
    });
  }, 240_000);

  it('a lesson the server will not open says why, once, with no reconnect and no spinner: an unknown lesson, then no usable face reference', async () => {
    const { tokens, traineeId } = site.fx;
    await withCamera('obama-4.jpg', async (page) => {
      const refusedWith = async (text: string) => {
        const refused = page.getByTestId('study-refused');
        await refused.waitFor();
        expect(await refused.textContent()).toContain(text);
        // Nothing retries on its own: a while later it still says the same and offers no 重新连接.
        await page.waitForTimeout(3000);
        expect(await page.getByRole('button', { name: '重新连接' }).count()).toBe(0);
        expect(await page.locator('.ant-spin-spinning:visible').count()).toBe(0);
        expect(await page.getByTestId('study-connection').count()).toBe(0);
      };
      await loginAt(page, site.t.baseUrl, 'trainee', site.password, lessonPath('0123456789abcdef01234567'));
      await refusedWith('课时不存在');

      // Without consent no reference is used, the same refusal as a trainee never enrolled.
      await call(site.t.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/face-consent/withdraw`, { token: tokens.trainee });
      try {
        await page.goto(`${site.t.baseUrl}${lessonPath(resumeLessonId)}`);
        await refusedWith('人脸');
        await screenshot(page, SHOTS, 'study-refused');
      } finally {
        const text = await call(site.t.baseUrl, 'GET', '/api/v1/consents/face-text', { token: tokens.trainee });
        await call(site.t.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/face-consent`, { token: tokens.trainee, body: { textVersion: text.body.version } });
      }
    });
  }, 120_000);
});

describe('the anti-idle prompt in the console', () => {
  let site: StudySite;
  let videoDir: string;

  beforeAll(async () => {
    videoDir = await fs.mkdtemp(path.join(tmpdir(), 'gsyf-study-video-'));
    site = await startSite(
      'study-browser-prompt',
      {
        STUDY_FACE_INTERVAL_MIN_SECONDS: '3600',
        STUDY_FACE_INTERVAL_MAX_SECONDS: '3600',
        // The first prompt 10 s after the session opens: mid-lesson.
        STUDY_PROMPT_INTERVAL_MIN_SECONDS: '10',
        STUDY_PROMPT_INTERVAL_MAX_SECONDS: '10',
      },
      { video: await makeTestVideo(videoDir, 30) },
    );
  }, 300_000);

  afterAll(async () => {
    await site?.t.stop();
    if (videoDir) await fs.rm(videoDir, { recursive: true, force: true });
  });

  it('shows the question with its choices and a countdown; the right click passes and crediting goes on', async () => {
    let sessionId: string | null = null;
    await withCamera('obama-2.jpg', async (page) => {
      const opened = await startStudying(page, site, site.fx.lessonId);
      expect(opened.outcome).toBe('match');
      sessionId = opened.sessionId;
      await page.locator('[data-testid=crediting-state][data-state=crediting]').waitFor();
      // A passed check gets out of the way by itself.
      await page.getByTestId('face-check-result').waitFor({ state: 'detached', timeout: 5_000 });
      await play(page);
      const question = page.getByTestId('prompt-question');
      await question.waitFor({ timeout: 30_000 });
      const asked = /(\d+)\s*$/.exec((await question.textContent()) ?? '')?.[1];
      const choices = await page.getByTestId('prompt-choice').allTextContents();
      expect(choices.map((c) => c.trim())).toContain(asked);
      await screenshot(page, SHOTS, 'study-prompt');
      await page.getByTestId('prompt-choice').filter({ hasText: asked! }).click();
      await page.getByText('确认成功，继续学习').waitFor();
      await page.getByTestId('prompt-modal').getByRole('button', { name: '继续学习' }).click();
      // Credit goes on after the answer.
      const before = Number(await page.getByTestId('lesson-credited').getAttribute('data-seconds'));
      await page.waitForFunction(
        ({ n, gain }) => Number(document.querySelector('[data-testid=lesson-credited]')?.getAttribute('data-seconds')) >= n + gain,
        { n: before, gain: 2 * HEARTBEAT_SECONDS },
        { timeout: 20_000 },
      );
      await page.locator('[data-testid=crediting-state][data-state=crediting]').waitFor();
    });
    const record = await recordOf(site, sessionId);
    const prompt = record.checks.find((c) => c.kind === 'prompt');
    expect(prompt?.status).toBe('passed');
    expect(prompt?.attempts.map((a) => a.outcome)).toEqual(['answered']);
  }, 240_000);
});
