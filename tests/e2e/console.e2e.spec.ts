// The console in a real browser against the real API: zh-CN layout, the role-aware menu, the
// dashboard's live data, deep links through the SPA fallback, the error path and the phone layout.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { ApiError, toApiError, unwrap } from '../../apps/web/src/api/client';
import { databaseMode, readHealthReport } from '../../apps/web/src/api/health';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

jest.setTimeout(120_000);

let app: TestApp;
let launched: LaunchedBrowser;
let browser: Browser;
let distDir: string;
const shotsDir = join(tmpdir(), `gsyf-console-shots-${process.pid}`);

/** Builds the console's current sources into a private directory so no stale or shared build is tested. */
async function buildConsole(outDir: string): Promise<void> {
  await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    // jest sets NODE_ENV=test, which would give React's development build.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
}

describe('console in Chromium against the real API', () => {
  beforeAll(async () => {
    distDir = await mkdtemp(join(tmpdir(), 'gsyf-web-dist-'));
    await buildConsole(distDir);
    app = await startTestApp('console', { WEB_DIST_DIR: distDir });
    launched = await launchBrowser();
    browser = launched.browser;
  });

  afterAll(async () => {
    await launched?.close();
    await app?.stop();
    if (distDir) await rm(distDir, { recursive: true, force: true });
  });


  /**
   * Runs `scenario` in a fresh context (own localStorage). Uncaught exceptions and console errors
   * fail it — a CSP violation or a crash shows up there — unless the scenario provokes errors.
   */
  async function inTab(
    scenario: (page: Page) => Promise<void>,
    { viewport = { width: 1366, height: 900 }, allowConsoleErrors = false }: { viewport?: { width: number; height: number }; allowConsoleErrors?: boolean } = {},
  ): Promise<void> {
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
      if (!allowConsoleErrors) expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }

  async function screenshot(page: Page, name: string): Promise<string> {
    const path = join(shotsDir, `${name}.png`);
    // Settle antd's enter/leave motions so the picture shows the resting state.
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'detached' }).catch(() => undefined);
    await page.screenshot({ path, fullPage: true, animations: 'disabled' });
    console.log(`截图 screenshot: ${path}`);
    return path;
  }

  /** The drawer has slid fully in (antd drives the motion with classes, which screenshots do not settle). */
  async function drawerOpened(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const panel = document.querySelector('.ant-drawer-open .ant-drawer-content-wrapper');
      return !!panel && !/motion/.test(panel.className) && panel.getBoundingClientRect().left >= 0;
    });
  }

  const sideMenu = (page: Page) => page.getByRole('menu', { name: '功能菜单' });

  async function chooseDemoRole(page: Page, label: string): Promise<void> {
    await page.getByTestId('demo-role').click();
    await page.locator('.ant-select-item-option', { hasText: label }).click();
    await page.getByTestId('demo-role').getByText(label, { exact: true }).waitFor();
  }

  test('desktop: zh-CN layout, trainee menu, live health and seeded programs', async () => {
    await inTab(async (page) => {
      const response = await page.goto(`${app.baseUrl}/`);
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await expect(page.title()).resolves.toBe('工伤预防能力提升培训平台');
      await page.getByRole('heading', { name: '工伤预防能力提升培训平台' }).waitFor();

      // First visit: the demo session defaults to a trainee.
      const menu = sideMenu(page);
      for (const item of ['首页', '我的课程', '学习记录', '我的资料']) await menu.getByRole('menuitem', { name: item }).waitFor();
      expect(await menu.getByRole('menuitem', { name: '花名册导入' }).count()).toBe(0);
      await page.getByText('演示角色', { exact: true }).waitFor();

      // The programs come from the API's seed, not from the page.
      const programs = (await (await fetch(`${app.baseUrl}/api/v1/programs`)).json()) as { items: { name: string }[] };
      const yichun = programs.items.find((p) => p.name.includes('伊春'));
      expect(yichun).toBeDefined();
      const table = page.getByTestId('programs-table');
      await table.getByText(yichun!.name, { exact: true }).waitFor();
      expect(await table.locator('tbody tr.ant-table-row').count()).toBe(programs.items.length);
      for (const header of ['项目名称', '辖区', '行业', '截止时间']) await table.getByRole('columnheader', { name: header }).waitFor();

      // The database mode shown is the one /health reports.
      const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as { details: { database: { mode: string } } };
      const modeLabel = { embedded: '内置', external: '外部' }[health.details.database.mode];
      expect(modeLabel).toBeDefined();
      const healthCard = page.getByTestId('health');
      await healthCard.getByText('运行正常').waitFor();
      expect(await healthCard.getByTestId('database-mode').textContent()).toBe(modeLabel);

      await screenshot(page, 'console-desktop-trainee');
    });
  });

  test('demo role switch changes the menu and survives a reload', async () => {
    await inTab(async (page) => {
      await page.goto(`${app.baseUrl}/`);
      await chooseDemoRole(page, '管理员');
      const menu = sideMenu(page);
      for (const item of ['培训项目', '机构与企业', '用户', '课程']) await menu.getByRole('menuitem', { name: item }).waitFor();
      expect(await menu.getByRole('menuitem', { name: '我的课程' }).count()).toBe(0);
      await page.getByTestId('current-user').getByText('演示管理员').waitFor();

      await page.reload();
      await menu.getByRole('menuitem', { name: '机构与企业' }).waitFor();

      await chooseDemoRole(page, '审核人员');
      for (const item of ['抽查', '异常线索', '报表']) await menu.getByRole('menuitem', { name: item }).waitFor();
      await menu.getByRole('menuitem', { name: '异常线索' }).click();
      await page.waitForURL(`${app.baseUrl}/auditor/alerts`);
      await page.getByText('该功能建设中').waitFor();
      await screenshot(page, 'console-desktop-auditor-section');
    });
  });

  test('deep links load through the SPA fallback; the API keeps its own 404s', async () => {
    await inTab(async (page) => {
      const deep = await page.goto(`${app.baseUrl}/trainee/courses`);
      expect(deep?.status()).toBe(200);
      expect(deep?.headers()['content-type']).toContain('text/html');
      await page.getByText('该功能建设中').waitFor();
      await sideMenu(page).locator('.ant-menu-item-selected', { hasText: '我的课程' }).waitFor();

      // Another role's page says so instead of pretending to load.
      await page.goto(`${app.baseUrl}/admin/users`);
      await page.getByText('无权访问').waitFor();
      await page.getByRole('button', { name: '切换演示角色为管理员' }).click();
      await page.getByText('该功能建设中').waitFor();

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
      await page.goto(`${app.baseUrl}/`);
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
      await page.goto(`${app.baseUrl}/`);
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
      await page.getByText('该功能建设中').waitFor();
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
