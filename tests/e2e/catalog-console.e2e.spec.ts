// The catalog pages in Chromium against the real API: administrator's programs and courses (with
// audiences and lessons), the trainee's "my courses". Fails on any console error (inTab).
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { inTab as inBrowserTab, loginAt, startConsoleApp, type ConsoleApp } from '../support/browser';
import { activate, demoPasswords } from '../support/auth-client';

jest.setTimeout(180_000);

describe('catalog console pages', () => {
  let consoleApp: ConsoleApp;
  let app: TestApp;
  let browser: Browser;
  const passwords = new Map<string, string>();

  beforeAll(async () => {
    consoleApp = await startConsoleApp('catalog-console');
    ({ app, browser } = consoleApp);
    const initial = demoPasswords(app.app);
    for (const u of ['admin', 'trainee']) passwords.set(u, (await activate(app.baseUrl, u, initial.get(u)!)).password);
  });
  afterAll(() => consoleApp?.stop());

  const inTab = (scenario: (page: Page) => Promise<void>) => inBrowserTab(browser, scenario);
  const signIn = (page: Page, username: string, path: string) => loginAt(page, app.baseUrl, username, passwords.get(username)!, path);

  test('administrator: programs with study settings; courses with audiences, lessons and a new course', async () => {
    await inTab(async (page) => {
      await signIn(page, 'admin', '/admin/programs');
      await page.getByText('伊春市2025年度矿山和机械制造企业工伤预防能力提升培训工程').waitFor();
      await page.getByText('2025-04-30').first().waitFor();

      await page.goto(`${app.baseUrl}/admin/courses`);
      await page.getByText('安全生产与工伤保险法律法规').waitFor();
      await page.getByText('矿山 · 一线班组长（含车间主任、车队长） · 必修').waitFor();
      // Expanding a course shows its ordered lessons with their state and actions.
      await page.getByRole('row', { name: /YC-LAW-01/ }).getByRole('button', { name: /展开|expand/i }).click();
      await page.getByText('《安全生产法》要点').waitFor();
      expect(await page.getByRole('button', { name: '上传视频' }).count()).toBe(3);
      await page.getByText('未上传').first().waitFor();

      // Adding a lesson without a name says so instead of doing nothing.
      await page.getByRole('button', { name: '添加课时' }).first().click();
      await page.getByTestId('lesson-title-error').getByText('请输入课时名称').waitFor();

      await page.getByRole('button', { name: '新建课程' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('课程编号').fill('UI-NEW-1');
      await dialog.getByLabel('课程名称').fill('浏览器新建的课程');
      // The deadline picker offers only days inside the program (2025-01-01 … 2025-12-31).
      await dialog.getByText('须在项目期限 2025-01-01 至 2025-12-31 内').waitFor();
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('浏览器新建的课程').waitFor();
    });
  });

  test('trainee: my courses, required and elective, with deadlines and the elective target', async () => {
    await inTab(async (page) => {
      await signIn(page, 'trainee', '/trainee/courses');
      await page.getByText('选修不少于 2 学时', { exact: false }).waitFor();
      await page.getByText('矿山班组长现场安全管理').waitFor();
      await page.getByText('截止 2025-03-31').waitFor();
      await page.getByText('必修课程（').waitFor();
      await page.getByText('安全生产警示教育专题片').waitFor();
      // Not the trainee's audience (hazardous chemicals, Jilin program).
      expect(await page.getByText('《生命重于泰山》电视专题片').count()).toBe(0);
      // The demo trainee is a team leader of Yichun's program: its requirement and what is missing of it.
      const target = page.getByTestId('hours-target');
      await target.getByText('培训学时要求：20–72 学时，其中线下不少于 60%、实操不少于 25%').waitFor();
      await target.getByText('还需 20 学时；线下还需 12 学时；实操还需 5 学时').waitFor();
      // Its deadlines are in 2025, long past: each such course says so.
      expect(await page.getByTestId('course-expired').count()).toBeGreaterThan(0);
    });
  });
});
