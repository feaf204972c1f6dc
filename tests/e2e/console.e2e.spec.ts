// The console in a real browser against the real API: zh-CN layout, the role-aware menu, the
// dashboard's live data, deep links through the SPA fallback, the error path and the phone layout.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { inTab as inBrowserTab, loginAt, screenshot as shootTo, startConsoleApp, type ConsoleApp, type TabOptions } from '../support/browser';
import { ApiError, toApiError, unwrap } from '../../apps/web/src/api/client';
import { databaseMode, readHealthReport } from '../../apps/web/src/api/health';
import { activate, demoPasswords } from '../support/auth-client';

jest.setTimeout(120_000);

let consoleApp: ConsoleApp;
let app: TestApp;
let browser: Browser;
/** Passwords after the forced change, by username (the console is for signed-in users only). */
const passwords = new Map<string, string>();
const shotsDir = join(tmpdir(), `gsyf-console-shots-${process.pid}`);

describe('console in Chromium against the real API', () => {
  beforeAll(async () => {
    consoleApp = await startConsoleApp('console');
    ({ app, browser } = consoleApp);
    const initial = demoPasswords(app.app);
    for (const username of ['trainee', 'admin', 'yc-hrss']) passwords.set(username, (await activate(app.baseUrl, username, initial.get(username)!)).password);
  });

  afterAll(() => consoleApp?.stop());


  const inTab = (scenario: (page: Page) => Promise<void>, opts?: TabOptions) => inBrowserTab(browser, scenario, opts);
  const screenshot = (page: Page, name: string) => shootTo(page, shotsDir, name);
  const signIn = (page: Page, username: string, path = '/') => loginAt(page, app.baseUrl, username, passwords.get(username)!, path);

  /** The drawer has slid fully in (antd drives the motion with classes, which screenshots do not settle). */
  async function drawerOpened(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const panel = document.querySelector('.ant-drawer-open .ant-drawer-content-wrapper');
      return !!panel && !/motion/.test(panel.className) && panel.getBoundingClientRect().left >= 0;
    });
  }

  const sideMenu = (page: Page) => page.getByRole('menu', { name: '功能菜单' });

  test('desktop: zh-CN layout, trainee menu, live health and seeded programs', async () => {
    await inTab(async (page) => {
      const response = await page.goto(`${app.baseUrl}/`);
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await expect(page.title()).resolves.toBe('工伤预防能力提升培训平台');
      // Nobody is signed in on a first visit: the console asks for a login.
      await page.waitForURL(`${app.baseUrl}/login`);
      await page.getByRole('heading', { name: '工伤预防能力提升培训平台' }).waitFor();
      await signIn(page, 'trainee');

      // The menu is the signed-in trainee's.
      const menu = sideMenu(page);
      for (const item of ['首页', '我的课程', '学习记录', '我的资料']) await menu.getByRole('menuitem', { name: item }).waitFor();
      expect(await menu.getByRole('menuitem', { name: '花名册导入' }).count()).toBe(0);
      await page.getByTestId('current-user').getByText('演示学员').waitFor();

      // The trainee's own program only (the demo trainee is enrolled in Yichun's), from the API's seed.
      const programs = (await (await fetch(`${app.baseUrl}/api/v1/programs`)).json()) as { items: { name: string }[] };
      expect(programs.items.length).toBeGreaterThan(1);
      const yichun = programs.items.find((p) => p.name.includes('伊春'));
      expect(yichun).toBeDefined();
      const table = page.getByTestId('programs-table');
      await table.getByText(yichun!.name, { exact: true }).waitFor();
      expect(await table.locator('tbody tr.ant-table-row').count()).toBe(1);
      await page.getByText('我参加的培训项目').waitFor();
      for (const header of ['项目名称', '辖区', '行业', '截止时间']) await table.getByRole('columnheader', { name: header }).waitFor();
      // Whose servers run how is not the trainee's concern; and no seed file name is shown as a source.
      expect(await page.getByTestId('health').count()).toBe(0);
      expect(await page.content()).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);

      await screenshot(page, 'console-desktop-trainee');
    });
  });

  test('administrator: the platform status in zh-CN, with the database mode /health reports', async () => {
    await inTab(async (page) => {
      await signIn(page, 'admin');
      const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as { details: Record<string, unknown> & { database: { mode: string } } };
      const modeLabel = { embedded: '内置', external: '外部' }[health.details.database.mode];
      expect(modeLabel).toBeDefined();
      const healthCard = page.getByTestId('health');
      await healthCard.getByText('运行正常').waitFor();
      expect(await healthCard.getByTestId('database-mode').textContent()).toBe(modeLabel);
      // Every component by its Chinese name, none by its key.
      const labels = await healthCard.locator('.ant-descriptions-item-label').allTextContents();
      expect(labels.length).toBe(Object.keys(health.details).length + 1);
      for (const label of labels) expect(label).toMatch(/^[\u4e00-\u9fa5]+$/);
      expect(await page.getByTestId('programs-table').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(1);
    });
  });

  test('the menu follows the signed-in role, survives a reload and changes with the next login', async () => {
    await inTab(async (page) => {
      await signIn(page, 'admin');
      const menu = sideMenu(page);
      for (const item of ['培训项目', '机构与企业', '用户', '课程']) await menu.getByRole('menuitem', { name: item }).waitFor();
      expect(await menu.getByRole('menuitem', { name: '我的课程' }).count()).toBe(0);
      await page.getByTestId('current-user').getByText('平台管理员（演示）').waitFor();

      await page.reload();
      await menu.getByRole('menuitem', { name: '机构与企业' }).waitFor();

      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: '退出登录' }).click();
      // The login page, with or without the page to come back to (CI has been seen on either).
      await page.waitForURL((url) => url.pathname === '/login');
      await signIn(page, 'yc-hrss');
      for (const item of ['抽查', '异常线索', '报表']) await menu.getByRole('menuitem', { name: item }).waitFor();
      await menu.getByRole('menuitem', { name: '异常线索' }).click();
      await page.waitForURL(`${app.baseUrl}/auditor/alerts`);
      await page.getByText('该功能建设中').waitFor();
      await screenshot(page, 'console-desktop-auditor-section');
    });
  });

  test('deep links load through the SPA fallback; the API keeps its own 404s', async () => {
    await inTab(async (page) => {
      const deep = await page.goto(`${app.baseUrl}/trainee/records`);
      expect(deep?.status()).toBe(200);
      expect(deep?.headers()['content-type']).toContain('text/html');
      // The login page remembers the deep link and returns to it.
      await page.waitForURL(`${app.baseUrl}/login?next=${encodeURIComponent('/trainee/records')}`);
      await signIn(page, 'trainee', '/trainee/records');
      await page.getByText('暂无学习记录').waitFor();
      await sideMenu(page).locator('.ant-menu-item-selected', { hasText: '学习记录' }).waitFor();

      // Another role's page says so instead of pretending to load; nothing offers another role.
      await page.goto(`${app.baseUrl}/admin/users`);
      await page.getByText('无权访问').waitFor();
      await page.getByText('当前登录角色为学员').waitFor();
      expect(await page.getByRole('button', { name: /切换/ }).count()).toBe(0);

      await page.goto(`${app.baseUrl}/no-such-page`);
      await page.getByText('页面不存在').waitFor();

      const apiMiss = await fetch(`${app.baseUrl}/api/v1/no-such-endpoint`);
      expect(apiMiss.status).toBe(404);
      const body = (await apiMiss.json()) as { code: unknown; message: unknown };
      expect(typeof body.code).toBe('string');
      expect(typeof body.message).toBe('string');
    });
  });

  test('an API failure shows its zh-CN message and can be retried', async () => {
    await inTab(async (page) => {
      let failing = true;
      await page.route('**/api/v1/programs', async (route) => {
        if (failing) {
          await route.fulfill({ status: 503, json: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂时不可用，请稍后重试' } });
        } else {
          await route.continue();
        }
      });
      await signIn(page, 'trainee');
      const alert = page.getByRole('alert').filter({ hasText: '培训项目加载失败' });
      await alert.getByText('数据库暂时不可用，请稍后重试').waitFor();
      failing = false;
      // antd spaces two-character CJK button labels ("重 试").
      await alert.getByRole('button', { name: /重\s*试/ }).click();
      await page.getByTestId('programs-table').getByText('伊春', { exact: false }).first().waitFor();
      expect(await alert.count()).toBe(0);
    }, { allowConsoleErrors: true });
  });

  test('phone (390×844): menu in a drawer, no sideways scrolling', async () => {
    await inTab(async (page) => {
      await signIn(page, 'trainee');
      const toggle = page.getByTestId('menu-drawer-toggle');
      await toggle.waitFor();
      expect(await page.locator('.ant-layout-sider').count()).toBe(0);
      await page.getByTestId('programs-table').getByText('伊春', { exact: false }).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'console-phone-home');

      await toggle.click();
      await drawerOpened(page);
      const drawer = page.locator('.ant-drawer-open');
      await drawer.getByRole('menuitem', { name: '学习记录' }).click();
      await page.waitForURL(`${app.baseUrl}/trainee/records`);
      await page.getByText('暂无学习记录').waitFor();
      await toggle.click();
      await drawerOpened(page);
      await drawer.locator('.ant-menu-item-selected', { hasText: '学习记录' }).waitFor();
      await screenshot(page, 'console-phone-drawer');
    }, { viewport: { width: 390, height: 844 } });
  });
});

// The client's decisions that the browser run cannot reach cheaply (odd bodies, network loss).
describe('console API client', () => {
  const response = (status: number) => new Response(null, { status });

  test('errors in the platform shape keep their code and zh-CN message', () => {
    const e = toApiError({ code: 'VALIDATION_FAILED', message: '请求参数不合法', details: [{ field: 'name' }] }, response(400));
    expect(e).toBeInstanceOf(ApiError);
    expect([e.code, e.message, e.status, e.details]).toEqual(['VALIDATION_FAILED', '请求参数不合法', 400, [{ field: 'name' }]]);
  });

  test('a body in another shape says which HTTP status came back', () => {
    const e = toApiError('<html>Bad Gateway</html>', response(502));
    expect([e.code, e.status]).toEqual(['HTTP_ERROR', 502]);
    expect(e.message).toContain('HTTP 502');
  });

  test('no response at all is a network error; an abort is not', () => {
    expect(toApiError(new TypeError('Failed to fetch')).code).toBe('NETWORK_ERROR');
    expect(toApiError(new DOMException('aborted', 'AbortError')).code).toBe('ABORTED');
  });

  test('unwrap returns data on success and throws the ApiError otherwise', async () => {
    await expect(unwrap(Promise.resolve({ data: { items: [] }, response: response(200) }))).resolves.toEqual({ items: [] });
    await expect(unwrap(Promise.resolve({ error: { code: 'NOT_FOUND', message: '资源不存在' }, response: response(404) }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: '资源不存在',
      status: 404,
    });
    await expect(unwrap(Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  test('health reports are read strictly and name the database mode', () => {
    const report = readHealthReport({
      status: 'error',
      details: { database: { status: 'up', mode: 'external' }, face: { status: 'down', message: '模型未加载' }, junk: 5 },
    });
    expect(report?.status).toBe('error');
    expect(Object.keys(report!.details)).toEqual(['database', 'face']);
    expect(databaseMode(report!)).toBe('external');
    expect(databaseMode(readHealthReport({ status: 'ok', details: { database: { status: 'up', mode: 'other' } } })!)).toBeUndefined();
    expect(readHealthReport({ status: 'fine', details: {} })).toBeUndefined();
    expect(readHealthReport({ status: 'ok' })).toBeUndefined();
    expect(readHealthReport(null)).toBeUndefined();
  });
});
