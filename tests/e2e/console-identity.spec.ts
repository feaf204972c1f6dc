// The console's identity pages in Chromium against the real API: login with the seeded accounts
// (forced password change, lock-out, expiry and refresh, logout), the institution's trainees, an
// administrator registering organisations and users, a trainee granting and withdrawing consent.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { residentIdCheckChar, usccCheckChar } from '@app/identity';
import type { TestApp } from '../support/app';
import { inTab, screenshot, startConsoleApp, submitLogin, type ConsoleApp } from '../support/browser';
import { call, demoPasswords, login } from '../support/auth-client';

jest.setTimeout(180_000);

let consoleApp: ConsoleApp;
let app: TestApp;
let browser: Browser;
let initial: Map<string, string>;
const shotsDir = join(tmpdir(), `gsyf-console-identity-shots-${process.pid}`);

/** A password the policy accepts (≥ 10 characters, letters and digits, not the username). */
const newPassword = (username: string) => `Neu-${username.length}-Passwort-2026`;

beforeAll(async () => {
  await mkdir(shotsDir, { recursive: true });
  consoleApp = await startConsoleApp('console-identity');
  ({ app, browser } = consoleApp);
  initial = demoPasswords(app.app);
});

afterAll(() => consoleApp?.stop());

const shot = (page: Page, name: string) => screenshot(page, shotsDir, name);

/** Picks an option of the select dropdown that is open now (closed ones stay in the DOM, hidden). */
async function chooseOption(page: Page, text: string): Promise<void> {
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
}

/** The forced change after a seeded account's first login; lands on `landing`. */
async function changeInitialPassword(page: Page, username: string, landing: string): Promise<void> {
  await page.waitForURL(/\/change-password/);
  await page.getByText('首次登录请修改密码').waitFor();
  const form = page.getByRole('form', { name: '修改密码' });
  await form.getByLabel('当前密码').fill(initial.get(username)!);
  await form.getByLabel('新密码', { exact: true }).fill(newPassword(username));
  await form.getByLabel('确认新密码').fill(newPassword(username));
  await form.getByRole('button', { name: '确认修改' }).click();
  await page.waitForURL(`${app.baseUrl}${landing}`);
}

/** First login of a seeded account from a deep link, through the forced change, back to the link. */
async function firstLogin(page: Page, username: string, path: string): Promise<void> {
  await page.goto(`${app.baseUrl}${path}`);
  await page.waitForURL(`${app.baseUrl}/login?next=${encodeURIComponent(path)}`);
  await submitLogin(page, username, initial.get(username)!);
  await changeInitialPassword(page, username, path);
}

test('institution: wrong password, forced password change, masked trainee list, detail, reload and logout', async () => {
  await inTab(browser, async (page) => {
    await page.goto(`${app.baseUrl}/institution/trainees`);
    await page.waitForURL(`${app.baseUrl}/login?next=${encodeURIComponent('/institution/trainees')}`);

    await submitLogin(page, 'yc-institution', 'not-the-password-1');
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
    await shot(page, 'identity-login-error');

    await submitLogin(page, 'yc-institution', initial.get('yc-institution')!);
    await page.waitForURL(/\/change-password/);
    // Until the password is changed, the console itself stays closed.
    await page.goto(`${app.baseUrl}/institution/trainees`);
    await page.waitForURL(/\/change-password/);
    const form = page.getByRole('form', { name: '修改密码' });
    await form.getByLabel('当前密码').fill(initial.get('yc-institution')!);
    await form.getByLabel('新密码', { exact: true }).fill('short1');
    await form.getByText('密码至少需要 10 个字符').waitFor();
    await form.getByLabel('新密码', { exact: true }).fill(newPassword('yc-institution'));
    await form.getByLabel('确认新密码').fill('Something-else-2026');
    await form.getByRole('button', { name: '确认修改' }).click();
    await form.getByText('两次输入的新密码不一致').waitFor();
    await shot(page, 'identity-change-password');
    await form.getByLabel('当前密码').fill('wrong-current-pw-1');
    await form.getByLabel('确认新密码').fill(newPassword('yc-institution'));
    await form.getByRole('button', { name: '确认修改' }).click();
    await form.getByText('当前密码不正确').waitFor();
    await form.getByLabel('当前密码').fill(initial.get('yc-institution')!);
    await form.getByRole('button', { name: '确认修改' }).click();
    await page.waitForURL(`${app.baseUrl}/institution/trainees`);

    // The menu is the institution's, from GET /auth/me; nothing offers to switch roles.
    const menu = page.getByRole('menu', { name: '功能菜单' });
    for (const item of ['学员管理', '花名册导入', '线下班次']) await menu.getByRole('menuitem', { name: item }).waitFor();
    expect(await menu.getByRole('menuitem', { name: '我的资料' }).count()).toBe(0);
    expect(await page.getByText('演示角色').count()).toBe(0);
    await page.getByTestId('current-user').getByText('伊春培训中心管理员（演示）').waitFor();

    const table = page.getByTestId('trainees-table');
    const row = table.locator('tbody tr.ant-table-row', { hasText: '演示学员' });
    await row.waitFor();
    const idCell = (await row.locator('code').first().textContent()) ?? '';
    expect(idCell).toMatch(/^2307\*{10}\d{3}[\dX]$/);
    await shot(page, 'identity-institution-trainees');

    // Filters go to the API; the state is in the address.
    await page.getByRole('form', { name: '筛选学员' }).getByLabel('姓名').fill('不存在的人');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(/name=/);
    await table.getByText('没有符合条件的学员').waitFor();
    await page.getByRole('button', { name: /重\s*置/ }).click();
    await row.waitFor();

    await row.getByRole('link', { name: '演示学员' }).click();
    await page.waitForURL(/\/institution\/trainees\/[0-9a-f]{24}$/);
    const facts = page.getByTestId('trainee-facts');
    // Institution staff see the full number in the detail (PIPL: the enrolling institution).
    await facts.getByText(/^23071719850315101[\dX]$/).waitFor();
    await page.getByTestId('face-consent').getByTestId('consent-state').getByText('未同意').waitFor();
    // The institution records a signed paper form, but it cannot click the trainee's own consent.
    expect(await page.getByTestId('face-consent').getByRole('button', { name: /^同\s*意$/ }).count()).toBe(0);
    await page.getByTestId('face-consent').getByRole('button', { name: '录入纸质同意书' }).waitFor();
    await shot(page, 'identity-institution-trainee-detail');

    // A reload keeps the session (refresh token in sessionStorage, new access token).
    await page.reload();
    await facts.getByText('演示学员').first().waitFor();

    // Register one trainee by hand: a wrong check digit is named under the field, then fixed.
    await page.getByRole('button', { name: '返回学员列表' }).click();
    await page.getByRole('button', { name: '登记学员' }).click();
    const register = page.getByRole('form', { name: '登记学员' });
    await register.getByLabel('培训项目').click();
    await chooseOption(page, '伊春');
    await register.getByLabel('姓名').fill('浏览器测试学员');
    const body = '23071719900101123';
    const goodId = body + residentIdCheckChar(body);
    await register.getByLabel('身份证号').fill(body + (residentIdCheckChar(body) === '1' ? '2' : '1'));
    await register.getByLabel('手机号').fill('13900001111');
    await register.getByLabel('所属企业').click();
    await chooseOption(page, '伊春示范矿业第01有限公司');
    await register.getByLabel('人员类别').click();
    await chooseOption(page, '一线班组长');
    await register.getByRole('button', { name: /登\s*记/ }).click();
    const idItem = register.locator('.ant-form-item', { has: page.getByLabel('身份证号') });
    await idItem.locator('.ant-form-item-explain-error').getByText('身份证号校验位不正确').waitFor();
    await register.getByLabel('身份证号').fill(goodId);
    await register.getByRole('button', { name: /登\s*记/ }).click();
    await page.waitForURL(/\/institution\/trainees\/[0-9a-f]{24}$/);
    await facts.getByText(goodId).waitFor();

    // And open their login: the initial password is shown once and works (with a forced change).
    const account = page.getByRole('form', { name: '开通登录账号' });
    expect(await account.getByLabel('用户名').inputValue()).toBe('13900001111');
    await account.getByRole('button', { name: '开通账号' }).click();
    const shown = page.getByTestId('initial-password');
    await shown.waitFor();
    await page.waitForFunction(() => !document.querySelector('.ant-zoom-enter, .ant-zoom-appear'));
    await shot(page, 'identity-institution-trainee-account');
    const firstPassword = ((await shown.textContent()) ?? '').trim();
    const firstLogin = await login(app.baseUrl, '13900001111', firstPassword);
    expect(firstLogin.body.mustChangePassword).toBe(true);
    await page.getByRole('button', { name: '我已记下' }).click();
    // The card now shows the login instead of offering a second one, and resets its password.
    const card = page.getByTestId('trainee-account');
    await card.getByTestId('trainee-account-user').getByText('13900001111').waitFor();
    await card.getByText('待首次登录修改密码').waitFor();
    expect(await card.getByRole('button', { name: '开通账号' }).count()).toBe(0);
    await card.getByRole('button', { name: '重置密码' }).click();
    await page.getByRole('button', { name: '重 置' }).or(page.getByRole('button', { name: '重置', exact: true })).click();
    await page.getByRole('dialog').getByText('密码已重置').waitFor();
    const resetPassword = ((await page.getByTestId('initial-password').textContent()) ?? '').trim();
    expect(resetPassword).not.toBe(firstPassword);
    expect((await login(app.baseUrl, '13900001111', firstPassword)).status).toBe(401);
    expect((await login(app.baseUrl, '13900001111', resetPassword)).body.mustChangePassword).toBe(true);
    await page.getByRole('button', { name: '我已记下' }).click();

    // Logout revokes the session on the server, not just in this tab.
    const refreshToken = await page.evaluate(() => sessionStorage.getItem('gsyf.refreshToken'));
    expect(refreshToken).toBeTruthy();
    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    expect((await loggedOut).status()).toBe(204);
    await page.waitForFunction(() => sessionStorage.getItem('gsyf.refreshToken') === null);
    expect((await call(app.baseUrl, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } })).status).toBe(401);
    await page.goto(`${app.baseUrl}/institution/trainees`);
    await page.waitForURL(/\/login\?next=/);
  }, { allowHttpRefusals: true });
});

test('an expired access token is refreshed once and the call repeated; a revoked session returns to login', async () => {
  await inTab(browser, async (page) => {
    const refreshes: number[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/auth/refresh')) refreshes.push(Date.now());
    });
    await page.goto(`${app.baseUrl}/login`);
    await submitLogin(page, 'yc-institution', newPassword('yc-institution'));
    await page.waitForURL(`${app.baseUrl}/`);

    // The next trainees call answers as an expired token would; the client must refresh and retry.
    let faked = 0;
    await page.route('**/api/v1/trainees?*', async (route) => {
      if (faked++ === 0) await route.fulfill({ status: 401, json: { code: 'AUTH_TOKEN_EXPIRED', message: '登录已过期，请重新登录' } });
      else await route.continue();
    });
    await page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name: '学员管理' }).click();
    await page.getByTestId('trainees-table').getByText('演示学员').waitFor();
    expect(faked).toBe(2);
    expect(refreshes).toHaveLength(1);

    // An administrator disables nobody here; the API revoking the session is enough: log out elsewhere.
    const token = await page.evaluate(() => sessionStorage.getItem('gsyf.refreshToken'));
    expect(token).toBeTruthy();
    const other = await call(app.baseUrl, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: token } });
    expect(other.status).toBe(200);
    await call(app.baseUrl, 'POST', '/api/v1/auth/logout', { token: other.body.accessToken });
    await page.reload();
    await page.waitForURL(/\/login\?next=/);
    await page.getByTestId('login-notice').waitFor();
  }, { allowHttpRefusals: true });
});

test('administrator: organisation with a bad credit code shows the field error, a good one is listed; users', async () => {
  await inTab(browser, async (page) => {
    await firstLogin(page, 'admin', '/admin/organizations');
    const table = page.getByTestId('organisations-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await page.locator('.ant-segmented-item', { hasText: '培训机构' }).click();
    await table.getByText('伊春示范安全培训中心').waitFor();
    expect(await table.getByText('伊春示范矿业第01有限公司').count()).toBe(0);
    await page.locator('.ant-segmented-item', { hasText: '全部' }).click();

    await page.getByRole('button', { name: '登记单位' }).click();
    const form = page.getByRole('form', { name: '登记单位' });
    await form.getByLabel('名称').fill('伊春浏览器测试矿业有限公司');
    const base = '91230700MA0000T01';
    const good = base + usccCheckChar(base);
    const bad = base + (usccCheckChar(base) === '1' ? '2' : '1');
    await form.getByLabel('统一社会信用代码').fill(bad);
    await form.getByLabel('行政区划代码').fill('230700');
    await form.getByLabel('所属行业').fill('矿山');
    await form.getByRole('button', { name: /登\s*记/ }).click();
    const usccItem = form.locator('.ant-form-item', { has: page.getByLabel('统一社会信用代码') });
    await usccItem.locator('.ant-form-item-explain-error').getByText('统一社会信用代码校验位不正确').waitFor();
    await shot(page, 'identity-admin-organisation-bad-uscc');

    await form.getByLabel('统一社会信用代码').fill(good);
    await form.getByRole('button', { name: /登\s*记/ }).click();
    await page.getByText('已登记：伊春浏览器测试矿业有限公司').waitFor();
    await page.getByLabel('搜索单位').fill('浏览器测试');
    await table.getByText('伊春浏览器测试矿业有限公司').waitFor();
    await table.getByText(good).waitFor();
    await shot(page, 'identity-admin-organisations');

    // Users: create an auditor; the generated initial password is shown once and works.
    await page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name: '用户' }).click();
    await page.waitForURL(`${app.baseUrl}/admin/users`);
    await page.getByTestId('users-table').getByText('yc-institution').waitFor();
    await page.getByRole('button', { name: '新建用户' }).click();
    const userForm = page.getByRole('form', { name: '新建用户' });
    await userForm.getByLabel('角色').click();
    await chooseOption(page, '审核人员');
    await userForm.getByLabel('所属单位').click();
    await chooseOption(page, '伊春市人力资源和社会保障局');
    await userForm.getByLabel('用户名').fill('yc-browser-auditor');
    await userForm.getByLabel('姓名').fill('浏览器测试审核员');
    await userForm.getByRole('button', { name: /创\s*建/ }).click();
    const shown = page.getByTestId('initial-password');
    await shown.waitFor();
    const password = ((await shown.textContent()) ?? '').trim();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await shot(page, 'identity-admin-user-created');
    await page.getByRole('button', { name: '我已记下' }).click();
    expect((await login(app.baseUrl, 'yc-browser-auditor', password)).body.mustChangePassword).toBe(true);

    const row = page.getByTestId('users-table').locator('tbody tr', { hasText: 'yc-browser-auditor' });
    await row.getByRole('button', { name: /停\s*用/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /停\s*用/ }).click();
    await row.getByText('已停用').waitFor();
    expect((await login(app.baseUrl, 'yc-browser-auditor', password)).body.code).toBe('AUTH_ACCOUNT_DISABLED');
  }, { allowHttpRefusals: true });
});

test('trainee: profile with the full ID number, consent granted then withdrawn with confirmation', async () => {
  await inTab(browser, async (page) => {
    await firstLogin(page, 'trainee', '/trainee/profile');
    await page.getByTestId('trainee-facts').getByText(/^23071719850315101[\dX]$/).waitFor();
    await page.getByTestId('trainee-facts').getByText('伊春示范矿业第01有限公司').waitFor();

    const panel = page.getByTestId('face-consent');
    await panel.getByTestId('consent-state').getByText('未同意').waitFor();
    const text = (await (await fetch(`${app.baseUrl}/api/v1/consents/face-text`, { headers: { authorization: `Bearer ${(await login(app.baseUrl, 'trainee', newPassword('trainee'))).body.accessToken}` } })).json()) as { version: string; title: string };
    await panel.getByTestId('consent-text').getByText(text.title).waitFor();
    await panel.getByTestId('consent-text').getByText(`版本 ${text.version}`).waitFor();
    const grant = panel.getByRole('button', { name: /^同\s*意$/ });
    expect(await grant.isDisabled()).toBe(true);
    await shot(page, 'identity-trainee-consent-text');
    await panel.getByTestId('consent-agree').click();
    await grant.click();
    await panel.getByTestId('consent-state').getByText('已同意').waitFor();
    expect(await panel.getByTestId('consent-history').locator('tbody tr.ant-table-row').count()).toBe(1);

    await panel.getByRole('button', { name: '撤回同意' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确认撤回' }).click();
    await panel.getByTestId('consent-state').getByText('已撤回').waitFor();
    const history = panel.getByTestId('consent-history').locator('tbody tr.ant-table-row');
    expect(await history.count()).toBe(1);
    expect(await history.first().textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}.*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    await shot(page, 'identity-trainee-consent-withdrawn');

    // The API agrees with what the page shows.
    const me = await login(app.baseUrl, 'trainee', newPassword('trainee'));
    const own = await call(app.baseUrl, 'GET', '/api/v1/trainees', { token: me.body.accessToken });
    const status = await call(app.baseUrl, 'GET', `/api/v1/trainees/${own.body.items[0].id}/face-consent`, { token: me.body.accessToken });
    expect(status.body).toMatchObject({ active: false, history: [{ textVersion: text.version }] });
    expect(status.body.history[0].withdrawnAt).toBeDefined();
  });
});

test('lock-out after repeated failures is reported as such', async () => {
  await inTab(browser, async (page) => {
    await page.goto(`${app.baseUrl}/login`);
    for (let i = 0; i < 5; i++) {
      await submitLogin(page, 'zb-institution', `wrong-password-${i}`);
      await page.getByTestId('login-error').waitFor();
      // The fourth failure warns that the next one locks.
      if (i === 3) await page.getByTestId('login-error').getByText('再失败 1 次，账号将临时锁定 15 分钟', { exact: false }).waitFor();
    }
    await submitLogin(page, 'zb-institution', initial.get('zb-institution')!);
    const error = page.getByTestId('login-error');
    await error.getByText('账号已临时锁定', { exact: true }).waitFor();
    expect(await error.textContent()).toMatch(/请 \d+ 分钟后再试/);
    await shot(page, 'identity-login-locked');
  }, { allowHttpRefusals: true });
});

test('phone (390×844): trainee list without sideways scrolling, menu in the drawer', async () => {
  await inTab(browser, async (page) => {
    await page.goto(`${app.baseUrl}/login?next=${encodeURIComponent('/institution/trainees')}`);
    await submitLogin(page, 'yc-institution', newPassword('yc-institution'));
    await page.waitForURL(`${app.baseUrl}/institution/trainees`);
    await page.getByTestId('trainees-table').getByText('演示学员').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'identity-phone-trainees');
    await page.getByTestId('menu-drawer-toggle').click();
    await page.locator('.ant-drawer-open').getByRole('menuitem', { name: '学员管理' }).waitFor();
  }, { viewport: { width: 390, height: 844 } });
});

test('phone (390×844): 我的资料 keeps every label on one line and nothing scrolls sideways', async () => {
  await inTab(browser, async (page) => {
    await page.goto(`${app.baseUrl}/login?next=${encodeURIComponent('/trainee/profile')}`);
    await submitLogin(page, 'trainee', newPassword('trainee'));
    await page.getByTestId('trainee-facts').waitFor();
    await page.getByTestId('face-consent').getByTestId('consent-state').waitFor();
    const wrapped = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.ant-descriptions-item-label')]
        .filter((el) => {
          // The text's own box, not the cell's (a bordered cell has padding).
          const range = document.createRange();
          range.selectNodeContents(el);
          return range.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(el).lineHeight);
        })
        .map((el) => el.textContent),
    );
    expect(wrapped).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'identity-phone-profile');
  }, { viewport: { width: 390, height: 844 } });
});
