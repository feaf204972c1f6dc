// The classroom kiosk in headless Chromium with a fake camera (../shared/TESTING.md), against the
// real API and face engine: the institution opens the kiosk from the session's attendance page,
// the enrolled trainee is signed in and out by face, another person is refused, and the attendance
// with its captures shows on the attendance page, whose 签到表 exports.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';
import { buildConsole, inTab, launchBrowser, loginAt, makeFakeCameraY4m, screenshot } from '../support/browser';
import { consentAndEnrol } from '../support/faces';
import { addSession, createClass, createInstructor, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';
import { FACES_DIR } from '../support/study';

jest.setTimeout(600_000);

const SHOTS = path.join(tmpdir(), 'gsyf-offline-browser-shots');

let distDir: string;
let t: TestApp;
let password: string;
let attendanceUrl: string;
const cameras: string[] = [];

beforeAll(async () => {
  distDir = await fs.mkdtemp(path.join(tmpdir(), 'gsyf-offline-web-'));
  await fs.mkdir(SHOTS, { recursive: true });
  await buildConsole(distDir);
  t = await startTestApp('offline-kiosk-browser', { WEB_DIST_DIR: distDir, FACE_ENGINE_START: 'eager', OFFLINE_REPEAT_GUARD_SECONDS: '4' });
  const session = await activate(t.baseUrl, 'yc-institution', demoPasswords(t.app).get('yc-institution')!);
  password = session.password;
  const inst = session.accessToken;
  const programId = await ycProgramId(t.baseUrl);
  const enterprise = await ycEnterprise(t.baseUrl, inst);
  const obama = (await registerTrainee(t.baseUrl, inst, programId, enterprise.id, 'team_leader', '欧巴马')).id;
  await consentAndEnrol(t.baseUrl, inst, obama, 'obama-1.jpg');
  const kit = (await registerTrainee(t.baseUrl, inst, programId, enterprise.id, 'team_leader', '吉特')).id;
  await consentAndEnrol(t.baseUrl, inst, kit, 'kit-1.jpg');
  const classId = await createClass(t.baseUrl, inst, programId, { name: '浏览器测试班次' });
  must('roster', await call(t.baseUrl, 'POST', `/api/v1/offline/classes/${classId}/roster`, { token: inst, body: { traineeId: obama } }));
  const now = Date.now();
  const sessionId = must('session', await addSession(t.baseUrl, inst, classId, { startsAt: iso(now - 300_000), endsAt: iso(now + 3_600_000), instructorId: await createInstructor(t.baseUrl, inst), topic: '自救器使用', reason: '开课后录入' })).body.id;
  attendanceUrl = `${t.baseUrl}/institution/classes/${classId}/sessions/${sessionId}`;
}, 600_000);

afterAll(async () => {
  await t?.stop();
  for (const c of cameras) await fs.rm(c, { force: true });
  if (distDir) await fs.rm(distDir, { recursive: true, force: true });
});

async function withCamera(photo: string, scenario: (browser: Browser) => Promise<void>): Promise<void> {
  const feed = await makeFakeCameraY4m(path.join(FACES_DIR, photo), 'letterbox');
  cameras.push(feed);
  const launched = await launchBrowser({ fakeCameraY4m: feed });
  try {
    await scenario(launched.browser);
  } finally {
    await launched.close();
  }
}

/** The attendance page in a fresh tab, signed in as the 伊春 institution. */
async function openAttendance(page: Page): Promise<void> {
  await loginAt(page, t.baseUrl, 'yc-institution', password, new URL(attendanceUrl).pathname);
  await page.getByTestId('attendance-table').waitFor();
}

const kioskStatus = (page: Page) => page.getByRole('status');

let kioskLink: string;

it('the institution opens the kiosk, which signs the enrolled trainee in and then out by face', async () => {
  await withCamera('obama-2.jpg', (browser) =>
    inTab(
      browser,
      async (page) => {
        await openAttendance(page);
        await page.getByRole('button', { name: '开启签到终端' }).click();
        kioskLink = (await page.getByRole('link', { name: '打开签到终端' }).getAttribute('href'))!;
        expect(kioskLink).toMatch(/\/kiosk#kiosk\./);
        await page.goto(kioskLink);
        await page.getByText('浏览器测试班次').waitFor();
        // The credential left the address bar once read.
        expect(page.url()).not.toContain('kiosk.');
        await kioskStatus(page).getByText('欧巴马，签到成功').waitFor({ timeout: 60_000 });
        await kioskStatus(page).getByText('欧巴马，签退成功').waitFor({ timeout: 60_000 });
        await page.getByText('已签到 1 人').waitFor();
      },
      { viewport: { width: 1280, height: 800 } },
    ),
  );
});

it("another person's face is refused at the kiosk", async () => {
  await withCamera('kit-2.jpg', (browser) =>
    inTab(
      browser,
      async (page) => {
        await page.goto(kioskLink);
        await kioskStatus(page).getByText(/不在本课次花名册/).waitFor({ timeout: 60_000 });
      },
      { viewport: { width: 1280, height: 800 } },
    ),
  );
});

it('the attendance and its captures appear on the attendance page, and the sign-in sheet exports', async () => {
  const launched = await launchBrowser();
  try {
    await inTab(launched.browser, async (page) => {
      await openAttendance(page);
      const row = page.getByTestId('attendance-table').locator('tbody tr', { hasText: '欧巴马' });
      await row.getByText('待验收').waitFor();
      const thumb = row.getByRole('img', { name: '欧巴马 签到抓拍' });
      await thumb.waitFor();
      expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      await row.getByRole('img', { name: '欧巴马 签退抓拍' }).waitFor();
      await page.getByText('不在花名册').first().waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出签到表' }).click()]);
      expect(download.suggestedFilename()).toBe('浏览器测试班次-签到表.xlsx');
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile((await download.path())!);
      const sheet = book.worksheets[0];
      expect(sheet.name).toBe('签到表');
      expect(sheet.getRow(5).getCell(2).value).toBe('欧巴马');
      expect(sheet.getRow(5).getCell(5).value).toBe('人脸识别');

      // The class page around it: roster, the timetable's week, and the instructors' checklist.
      await page.getByRole('link', { name: '班次', exact: true }).click();
      await page.getByRole('tab', { name: /学员名册/ }).waitFor();
      await page.getByRole('cell', { name: '欧巴马' }).waitFor();
      await page.getByRole('tab', { name: '课程表' }).click();
      await page.getByRole('link', { name: /自救器使用/ }).waitFor();
      await screenshot(page, SHOTS, 'offline-timetable');
      await page.goto(`${t.baseUrl}/institution/instructors`);
      await page.getByText('专职培训管理人员不少于2名').waitFor();
      await screenshot(page, SHOTS, 'offline-instructors');
    });
  } finally {
    await launched.close();
  }
});

it('the trainee sees their offline class and sessions', async () => {
  const launched = await launchBrowser();
  try {
    await inTab(launched.browser, async (page) => {
      const trainee = await activate(t.baseUrl, 'trainee', demoPasswords(t.app).get('trainee')!);
      await loginAt(page, t.baseUrl, 'trainee', trainee.password, '/trainee/offline');
      await page.getByText('伊春矿山班组长线下培训班（演示）').waitFor();
      await page.getByText('待验收的线下学时').waitFor();
      await page.getByText('自救器使用实训（实训）').waitFor();
      await screenshot(page, SHOTS, 'offline-trainee');
    });
  } finally {
    await launched.close();
  }
});

it("the region's auditor reads the class and its attendance, and is offered no change", async () => {
  const launched = await launchBrowser();
  try {
    await inTab(launched.browser, async (page) => {
      const auditor = await activate(t.baseUrl, 'yc-hrss', demoPasswords(t.app).get('yc-hrss')!);
      await loginAt(page, t.baseUrl, 'yc-hrss', auditor.password, '/auditor/offline');
      await page.getByRole('link', { name: '浏览器测试班次' }).click();
      await page.getByRole('cell', { name: '欧巴马' }).waitFor();
      expect(await page.getByRole('button', { name: '加入花名册' }).count()).toBe(0);
      await page.goto(`${t.baseUrl}/auditor/offline${new URL(attendanceUrl).pathname.replace('/institution/classes', '')}`);
      await page.getByTestId('attendance-table').getByRole('img', { name: '欧巴马 签到抓拍' }).waitFor();
      expect(await page.getByRole('button', { name: '开启签到终端' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: '验收课次' }).count()).toBe(0);
      await screenshot(page, SHOTS, 'offline-auditor-attendance');
    });
  } finally {
    await launched.close();
  }
});
