// The spot-check console in Chromium against the real API, database and face engine: the demo trainee
// and another account enrolled with one face rank first; the auditor opens the demo trainee's item,
// sees the capture's references side by side, claims it, voids the credit with a reason and watches
// the hours drop; the trainee then sees the void with its reason and appeals. Fails on any console error.
import type { Page } from 'playwright-core';
import { inTab, loginAt, startConsoleApp, type ConsoleApp } from '../support/browser';
import { activate, call, demoPasswords } from '../support/auth-client';
import { consentAndEnrol } from '../support/faces';
import { acceptInApp, addSession, createClass, createInstructor, iso, must, registerTrainee, ycEnterprise, ycProgramId } from '../support/offline';

jest.setTimeout(240_000);

const H = 3600_000;

describe('oversight console pages', () => {
  let c: ConsoleApp;
  const passwords = new Map<string, string>();
  const tok: Record<string, string> = {};
  let demoTraineeId: string;

  const post = (user: string, url: string, body: unknown = {}) => call(c.app.baseUrl, 'POST', `/api/v1${url}`, { token: tok[user], body });
  const get = (user: string, url: string) => call(c.app.baseUrl, 'GET', `/api/v1${url}`, { token: tok[user] });

  beforeAll(async () => {
    c = await startConsoleApp('oversight-console', {});
    const base = c.app.baseUrl;
    const initial = demoPasswords(c.app.app);
    for (const u of ['admin', 'yc-institution', 'yc-hrss', 'trainee']) {
      const a = await activate(base, u, initial.get(u)!);
      passwords.set(u, a.password);
      tok[u] = a.accessToken;
    }
    demoTraineeId = (await get('admin', '/trainees?name=演示学员')).body.items[0].id;
    const programId = await ycProgramId(base);
    const enterprise = await ycEnterprise(base, tok['yc-institution']);
    const twin = await registerTrainee(base, tok['yc-institution'], programId, enterprise.id, 'team_leader', '张同脸');
    expect((await consentAndEnrol(base, tok['yc-institution'], twin.id, 'obama-1.jpg')).status).toBe('active');
    expect((await consentAndEnrol(base, tok['yc-institution'], demoTraineeId, 'obama-2.jpg')).status).toBe('held_for_review');

    // One hour of accepted class attendance for the demo trainee, so the void has seconds to remove.
    const token = tok['yc-institution'];
    const instructorId = await createInstructor(base, token);
    const classId = await createClass(base, token, programId, { industry: '矿山' });
    must('publish', await call(base, 'PATCH', `/api/v1/offline/classes/${classId}`, { token, body: { status: 'published' } }));
    must('roster', await post('yc-institution', `/offline/classes/${classId}/roster`, { traineeId: demoTraineeId }));
    const now = Date.now();
    const session = must('session', await addSession(base, token, classId, { startsAt: iso(now - 3 * H), endsAt: iso(now - 2 * H), instructorId, reason: '补录' })).body.id as string;
    must('attendance', await post('yc-institution', `/offline/sessions/${session}/attendance`, { traineeId: demoTraineeId, signInAt: iso(now - 3 * H), signOutAt: iso(now - 2 * H), reason: '签到终端故障，按纸质签到表补登' }));
    expect((await acceptInApp(c.app.app, token, session)).credited).toBe(1);
  });
  afterAll(() => c?.stop());

  const signIn = (page: Page, user: string, path: string) => loginAt(page, c.app.baseUrl, user, passwords.get(user)!, path);

  test('the auditor voids the top item with a reason and the hours drop; the trainee sees the void and appeals', async () => {
    await inTab(c.browser, async (page) => {
      await signIn(page, 'yc-hrss', '/auditor/spot-checks');
      // The queue is computed by a job: the auditor asks for it from the page.
      await page.getByRole('button', { name: '重新计算信号' }).click();
      await page.getByText(/信号已重新计算：\d+ 个事项/).waitFor({ timeout: 30_000 });
      const rows = page.getByTestId('queue-item');
      await rows.first().waitFor();
      // Both accounts behind the one face rank first; open the demo trainee's.
      const top = rows.filter({ hasText: '同一人脸对应多个学员账号' });
      expect(await top.count()).toBe(2);
      expect(await rows.nth(0).getByText('同一人脸对应多个学员账号').count()).toBe(1);
      expect(await rows.nth(1).getByText('同一人脸对应多个学员账号').count()).toBe(1);
      await page.waitForFunction(() => !document.querySelector('[data-testid="queue-item"] .ant-skeleton'));
      await top.filter({ hasText: '演示学员' }).first().getByRole('button', { name: /核\s*查/ }).click();

      const detail = page.getByTestId('item-detail');
      await detail.waitFor();
      // The other account's reference and the trainee's own, side by side, both loaded.
      await detail.locator('[data-testid="item-signal"][data-code="shared-face"]').waitFor();
      expect(await detail.getByTestId('fact-face-reference').count()).toBe(2);
      await detail.getByTestId('trainee-references').locator('img').first().waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="item-detail"] img')].every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0));
      const hours = detail.getByTestId('item-trainee-hours');
      await hours.waitFor();
      expect(await hours.getAttribute('data-seconds')).toBe('3600');

      const drawer = page.locator('.ant-drawer');
      await drawer.getByRole('button', { name: /认\s*领/ }).click();
      await drawer.getByRole('button', { name: '作废学时' }).click();
      const dialog = page.getByRole('dialog', { name: '作废学时' });
      await dialog.getByRole('button', { name: '确认作废' }).click();
      await dialog.getByText('请填写作废原因').waitFor();
      await dialog.getByLabel('作废原因').fill('与另一学员账号为同一人脸');
      await dialog.getByRole('button', { name: '确认作废' }).click();
      await page.getByText('已作废，学时已扣减').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="item-trainee-hours"]')?.getAttribute('data-seconds') === '0');
      await detail.getByText('与另一学员账号为同一人脸').waitFor();
    });

    await inTab(c.browser, async (page) => {
      await signIn(page, 'trainee', '/trainee/voids');
      const v = page.getByTestId('my-void');
      await v.getByText('与另一学员账号为同一人脸').waitFor();
      await v.getByRole('button', { name: /申\s*诉/ }).click();
      const dialog = page.getByRole('dialog', { name: '对作废提出申诉' });
      await dialog.getByLabel('申诉理由').fill('照片为本人，另一账号非本人注册');
      await dialog.locator('input[type=file]').setInputFiles({ name: '证明.txt', mimeType: 'text/plain', buffer: Buffer.from('本人身份证复印件') });
      await dialog.getByRole('button', { name: '提交申诉' }).click();
      await page.getByText('申诉已提交，将由其他审核人员复核').waitFor();
      await v.getByText('照片为本人，另一账号非本人注册').waitFor();
      expect(await v.getByRole('button', { name: /申\s*诉/ }).count()).toBe(0);
    });

    const appeals = must('appeals', await get('yc-hrss', '/oversight/appeals')).body.items as Array<{ statement: string; evidence: Array<{ name: string }> }>;
    expect(appeals).toHaveLength(1);
    expect(appeals[0]).toMatchObject({ statement: '照片为本人，另一账号非本人注册', evidence: [{ name: '证明.txt' }] });
  });
});
