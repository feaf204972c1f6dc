// Debian's Chromium driven by playwright-core, as ../shared/TESTING.md describes: never a
// downloaded browser. Webcam and hls.js tests reuse launchBrowser with a fake camera feed.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app';

const run = promisify(execFile);

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser; Playwright removes its temporary profile. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** A .y4m (or .mjpeg) the fake webcam plays in a loop; see {@link makeFakeCameraY4m}. */
  fakeCameraY4m?: string;
}

/**
 * Chromium with the flags from TESTING.md. Playwright gives every launch a fresh temporary
 * profile (user-data-dir) and deletes it on close, so runs never share cookies or storage.
 */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`未找到 Chromium：${CHROMIUM_PATH}（请先 apt-get install -y chromium）`);
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
  ];
  // Chromium resolves a relative path against its own working directory, not ours.
  if (opts.fakeCameraY4m) args.push(`--use-file-for-fake-video-capture=${resolve(opts.fakeCameraY4m)}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
  return { browser, close: () => browser.close() };
}

let cameraFiles = 0;

/** How a photo is fitted into the 640×480 frame: stretched, letterboxed (portraits), or cropped to 4:3. */
export type CameraFit = 'stretch' | 'letterbox' | 'crop';

const FIT_FILTERS: Record<CameraFit, string> = {
  stretch: 'scale=640:480',
  letterbox: 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2',
  crop: 'scale=640:480:force_original_aspect_ratio=increase,crop=640:480',
};

/**
 * A 20-second 640×480 y4m of a photo for --use-file-for-fake-video-capture, as a live camera sees a
 * person: the picture drifts by up to ±20 px on two unrelated periods, so no two captures seconds
 * apart are the same frame (the server refuses a frame it has seen before as a replay). A squashed
 * face is a different face to the engine, so portraits are letterboxed rather than stretched.
 * Returns an absolute path under os.tmpdir(); the caller removes it when done.
 */
export async function makeFakeCameraY4m(imagePath: string, fit: CameraFit = 'stretch'): Promise<string> {
  const name = basename(imagePath, extname(imagePath)).replace(/[^\w-]/g, '_');
  const out = join(tmpdir(), `gsyf-camera-${process.pid}-${++cameraFiles}-${name}.y4m`);
  const drift = "scale=688:516,crop=640:480:x='24+20*sin(2*PI*t/6.3)':y='18+14*sin(2*PI*t/4.1)'";
  await run('ffmpeg', [
    '-loglevel', 'error', '-y', '-loop', '1', '-i', resolve(imagePath),
    '-vf', `${FIT_FILTERS[fit]},${drift}`, '-t', '20', '-r', '5', '-pix_fmt', 'yuv420p', out,
  ]);
  return out;
}

const ROOT = resolve(__dirname, '../..');

/** Builds the console's current sources into `outDir`, so no stale or shared build is tested. */
export async function buildConsole(outDir: string): Promise<void> {
  await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    // jest sets NODE_ENV=test, which would give React's development build.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
}

export interface TabOptions {
  viewport?: { width: number; height: number };
  /** The scenario provokes errors on purpose: nothing logged fails it. */
  allowConsoleErrors?: boolean;
  /**
   * The scenario expects the API to refuse some calls (wrong password, invalid input): Chromium
   * logs every 4xx answer as "Failed to load resource", which then does not count as a problem.
   */
  allowHttpRefusals?: boolean;
}

const HTTP_REFUSAL = /^console: Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * Runs `scenario` in a fresh context (own cookies and storage). Uncaught exceptions and console
 * errors fail it — a CSP violation or a crash shows up there — unless the options allow them.
 */
export async function inTab(browser: Browser, scenario: (page: Page) => Promise<void>, opts: TabOptions = {}): Promise<void> {
  const { viewport = { width: 1366, height: 900 }, allowConsoleErrors = false, allowHttpRefusals = false } = opts;
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await scenario(page);
    if (!allowConsoleErrors) expect(problems.filter((p) => !(allowHttpRefusals && HTTP_REFUSAL.test(p)))).toEqual([]);
  } finally {
    await context.close();
  }
}

/** A full-page screenshot with antd's motions settled; prints where it went. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const path = join(dir, `${name}.png`);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'detached' }).catch(() => undefined);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  console.log(`截图 screenshot: ${path}`);
  return path;
}

/** Fills the console's login form and submits it (the caller waits for what should follow). */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByRole('form', { name: '登录' });
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByRole('button', { name: /登\s*录/ }).click();
}

/** Opens `path` (default: the home page), logs in on the page it lands on and waits to be back at `path`. */
export async function loginAt(page: Page, baseUrl: string, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/login(\?|$)/);
  await submitLogin(page, username, password);
  await page.waitForURL(`${baseUrl}${path}`);
}

export interface ConsoleApp {
  app: TestApp;
  browser: Browser;
  stop(): Promise<void>;
}

/** The console built from the current sources, served by a fresh test app, and a browser to drive it. */
export async function startConsoleApp(name: string, opts: LaunchOptions = {}): Promise<ConsoleApp> {
  const distDir = await mkdtemp(join(tmpdir(), 'gsyf-web-dist-'));
  let app: TestApp | undefined;
  try {
    await buildConsole(distDir);
    app = await startTestApp(name, { WEB_DIST_DIR: distDir });
    const launched = await launchBrowser(opts);
    const started = app;
    return {
      app: started,
      browser: launched.browser,
      async stop() {
        await launched.close();
        await started.stop();
        await rm(distDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await app?.stop();
    await rm(distDir, { recursive: true, force: true });
    throw e;
  }
}
