// Debian's Chromium driven by playwright-core, as ../shared/TESTING.md describes: never a
// downloaded browser. Webcam and hls.js tests reuse launchBrowser with a fake camera feed.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

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

/**
 * A 2-second 640×480 y4m of a still image, for --use-file-for-fake-video-capture. Returns an
 * absolute path under os.tmpdir(); the caller removes it when done.
 */
export async function makeFakeCameraY4m(imagePath: string): Promise<string> {
  const name = basename(imagePath, extname(imagePath)).replace(/[^\w-]/g, '_');
  const out = join(tmpdir(), `gsyf-camera-${process.pid}-${++cameraFiles}-${name}.y4m`);
  await run('ffmpeg', [
    '-loglevel', 'error', '-y', '-loop', '1', '-i', resolve(imagePath),
    '-vf', 'scale=640:480', '-t', '2', '-r', '10', '-pix_fmt', 'yuv420p', out,
  ]);
  return out;
}
