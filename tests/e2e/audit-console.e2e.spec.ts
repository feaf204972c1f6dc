// The 审计日志 page in Chromium against the real API: the chain's state and an on-demand verify, a
// search within the auditor's jurisdiction, a record's details, a target's history, the xlsx
// export. Fails on any console error (inTab).
import type { Browser, Page } from 'playwright-core';
import { AuditTrail } from '@app/audit';
import type { TestApp } from '../support/app';
import { inTab as inBrowserTab, loginAt, startConsoleApp, type ConsoleApp } from '../support/browser';
import { activate, demoPasswords } from '../support/auth-client';

jest.setTimeout(240_000);

describe('audit log console page', () => {
  let consoleApp: ConsoleApp;
  let app: TestApp;
  let browser: Browser;
  const passwords = new Map<string, string>();
  const TAG = `ui${Date.now().toString(36)}`;

  beforeAll(async () => {
    consoleApp = await startConsoleApp('audit-console');
    ({ app, browser } = consoleApp);
    const initial = demoPasswords(app.app);
    for (const u of ['admin', 'yc-hrss']) passwords.set(u, (await activate(app.baseUrl, u, initial.get(u)!)).password);
    const trail = app.app.get(AuditTrail);
    const system = { kind: 'system' as const, reason: '控制台测试' };
    await trail.recordRead(system, { action: `${TAG}.change`, target: { type: 'trainee', id: 'yc-trainee-1' }, tenant: { regionCode: '230702' }, after: { status: '伊春的修改' }, reason: '伊春的原因' });
    await trail.recordRead(system, { action: `${TAG}.change`, target: { type: 'trainee', id: 'zb-trainee-1' }, tenant: { regionCode: '370302' }, after: { status: '淄博的修改' } });
  });
  afterAll(() => consoleApp?.stop());

  const inTab = (scenario: (page: Page) => Promise<void>) => inBrowserTab(browser, scenario);
  const signIn = (page: Page, username: string, path: string) => loginAt(page, app.baseUrl, username, passwords.get(username)!, path);

  test('an auditor searches their jurisdiction, opens a record and a target’s history, verifies and exports', async () => {
    await inTab(async (page) => {
      await signIn(page, 'yc-hrss', '/auditor/audit-log');
      await page.getByTestId('audit-chain').waitFor();
      await page.getByRole('button', { name: '立即校验' }).click();
      await page.getByText('校验完成').waitFor();
      await page.getByTestId('audit-chain').getByText('审计链完整').waitFor();

      await page.getByLabel('操作代码').fill(`${TAG}.*`);
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page.getByText('共 1 条').waitFor();
      await page.getByText('伊春的原因').waitFor();
      expect(await page.getByText('zb-trainee-1').count()).toBe(0);

      // A record's details: the after-summary and its place in the chain.
      await page.getByRole('row', { name: /伊春的原因/ }).getByRole('button', { name: /展开|expand/i }).click();
      await page.getByText('伊春的修改').waitFor();
      await page.getByText('记录哈希').waitFor();

      // The target's whole history, through its id.
      await page.getByRole('button', { name: /重\s*置/ }).click();
      await page.getByTitle('查看该对象的全部记录').filter({ hasText: 'yc-trainee-1' }).click();
      await page.getByText('共 1 条').waitFor();
      expect(await page.getByLabel('对象标识').inputValue()).toBe('yc-trainee-1');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
      expect(download.suggestedFilename()).toBe('审计日志.xlsx');
    });
  });

  test('an administrator sees every jurisdiction', async () => {
    await inTab(async (page) => {
      await signIn(page, 'admin', '/admin/audit-log');
      await page.getByLabel('操作代码').fill(`${TAG}.*`);
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page.getByText('共 2 条').waitFor();
      await page.getByText('zb-trainee-1').waitFor();
    });
  });
});
