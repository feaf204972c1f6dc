import * as fs from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { waitForJob } from '../../libs/media/test-support/jobs';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { tusUpload } from '../../libs/media/test-support/tus-client';
import { launchBrowser, LaunchedBrowser } from '../support/browser';
import { activate, call } from '../support/auth-client';

const FIXTURE = path.resolve(__dirname, '../../../shared/fixtures/video/short-hamilton-clip.mp4');
const HLS_JS = require.resolve('hls.js/dist/hls.min.js');

// A page on its own origin (the API allows it through CORS_ORIGINS) with hls.js from node_modules.
const PAGE = `<!doctype html><meta charset="utf-8"><video id="v" muted playsinline></video>
<script src="/hls.min.js"></script>
<script>
  window.play = (src, token) => {
    const video = document.getElementById('v');
    const hls = new Hls({
      // The key endpoint wants the viewer's login as well as a valid signature.
      xhrSetup: (xhr, url) => { if (token && url.includes('/key')) xhr.setRequestHeader('Authorization', 'Bearer ' + token); },
    });
    hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) window.fatal = d.details; });
    hls.loadSource(src);
    hls.attachMedia(video);
    video.play().catch((e) => (window.playError = String(e)));
  };
</script>`;

describe('hls.js in Chromium plays the encrypted lesson', () => {
  let t: MediaApp;
  let page: Server;
  let pageUrl: string;
  let browser: LaunchedBrowser;
  let trainee: string;
  let admin: string;
  let lessonId: string;

  beforeAll(async () => {
    const hlsJs = await fs.readFile(HLS_JS);
    page = createServer((req, res) => {
      if (req.url === '/hls.min.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', () => r()));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;

    t = await startMediaApp('hls-browser', { CORS_ORIGINS: pageUrl });
    admin = (await activate(t.baseUrl, 'admin', t.passwords.get('admin')!)).accessToken;
    trainee = (await activate(t.baseUrl, 'trainee', t.passwords.get('trainee')!)).accessToken;
    const yc = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
    const course = await call(t.baseUrl, 'POST', '/api/v1/courses', {
      token: admin,
      body: { programId: yc, code: 'BROWSER', title: '浏览器播放', audiences: [{ industry: '矿山', category: '*', requirement: 'required' }] },
    });
    lessonId = (await call(t.baseUrl, 'POST', `/api/v1/courses/${course.body.id}/lessons`, { token: admin, body: { title: '视频' } })).body.id;
    const up = await tusUpload(t.baseUrl, admin, await fs.readFile(FIXTURE), { lessonId, filename: 'clip.mp4' });
    expect((await waitForJob(t.baseUrl, admin, up.jobId!)).status).toBe('succeeded');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    page?.close();
  });

  async function playIn(token: string | undefined) {
    const { playlistUrl } = (await call(t.baseUrl, 'GET', `/api/v1/lessons/${lessonId}/playback`, { token: trainee })).body;
    const tab = await browser.browser.newPage();
    await tab.goto(pageUrl);
    await tab.evaluate(([src, tok]) => (window as unknown as { play(s: string, t?: string): void }).play(src!, tok), [t.baseUrl + playlistUrl, token]);
    return tab;
  }

  // The administrator's preview: a trainee gets the key only inside a study session, which
  // tests/e2e/study-browser.e2e.spec.ts plays through the console's own player.
  it('decrypts and plays: currentTime advances past 2.5 s', async () => {
    const tab = await playIn(admin);
    try {
      await tab.waitForFunction(() => (document.getElementById('v') as HTMLVideoElement).currentTime > 2.5 || (window as { fatal?: string }).fatal, undefined, {
        timeout: 30_000,
      });
      expect(await tab.evaluate(() => (window as { fatal?: string }).fatal)).toBeUndefined();
      expect(await tab.evaluate(() => (document.getElementById('v') as HTMLVideoElement).currentTime)).toBeGreaterThan(2.5);
    } finally {
      await tab.close();
    }
  });

  it('cannot play without the viewer’s login: the key request fails and nothing plays', async () => {
    const tab = await playIn(undefined);
    try {
      await tab.waitForFunction(() => (window as { fatal?: string }).fatal, undefined, { timeout: 30_000 });
      expect(await tab.evaluate(() => (window as { fatal?: string }).fatal)).toBe('keyLoadError');
      expect(await tab.evaluate(() => (document.getElementById('v') as HTMLVideoElement).currentTime)).toBe(0);
    } finally {
      await tab.close();
    }
  });
});
