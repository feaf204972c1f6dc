// The rule-set editor, the examiner's exam page and the trainee's verdict in Chromium against the real API: the trainee sees
// what is left to do, the administrator relaxes the 伊春 rules, previews the flip, saves a new version,
// and the trainee's page then says 已达标 with the new version named. Fails on any console error.
import type { Page } from 'playwright-core';
import { inTab, loginAt, startConsoleApp, type ConsoleApp } from '../support/browser';
import { activate, demoPasswords } from '../support/auth-client';

jest.setTimeout(240_000);

describe('compliance console pages', () => {
  let c: ConsoleApp;
  const passwords = new Map<string, string>();

  beforeAll(async () => {
    c = await startConsoleApp('compliance-console');
    const initial = demoPasswords(c.app.app);
    for (const u of ['admin', 'trainee', 'yc-examiner']) passwords.set(u, (await activate(c.app.baseUrl, u, initial.get(u)!)).password);
  });
  afterAll(() => c?.stop());

  const signIn = (page: Page, user: string, path: string) => loginAt(page, c.app.baseUrl, user, passwords.get(user)!, path);

  test('trainee sees the reasons; the administrator previews and saves a relaxed rule set; the verdict follows', async () => {
    await inTab(c.browser, async (page) => {
      await signIn(page, 'trainee', '/trainee/verdict');
      await page.getByText('不达标').first().waitFor();
      await page.getByText('尚未参加结业考试（闭卷）').waitFor();
    });

    // The department's examiner finds the 伊春 class (培考分离) and the scheduling form checks its fields.
    await inTab(c.browser, async (page) => {
      await signIn(page, 'yc-examiner', '/examiner/exams');
      await page.getByText('伊春矿山班组长线下培训班（演示）').click();
      await page.getByText('伊春矿山班组长线下培训班（演示） · 考试场次').waitFor();
      await page.getByRole('button', { name: '安排考试' }).click();
      await page.getByRole('dialog').getByRole('button', { name: /安\s*排/ }).click();
      await page.getByText('请填写试卷编号').waitFor();
    });

    await inTab(c.browser, async (page) => {
      await signIn(page, 'admin', '/admin/rule-sets');
      await page.locator('.ant-select').first().click();
      await page.getByTitle(/YC-2025-MINING/).click();
      await page.getByRole('switch', { name: '须完成必修课' }).click();
      await page.getByRole('switch', { name: '须参加结业考试' }).click();
      const row = page.getByRole('row', { name: /一线班组长/ });
      const numbers = row.getByRole('spinbutton');
      for (let i = 0; i < (await numbers.count()); i++) if (i !== 1) await numbers.nth(i).fill('0');
      await page.getByLabel('修改说明（记入审计日志）').fill('浏览器测试：只看是否参训');
      // Saving waits for a preview of this draft.
      expect(await page.getByRole('button', { name: '保存为新版本' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: '预览影响' }).click();
      await page.getByText(/重新判定 \d+ 名学员，[1-9]\d* 人的结果会改变/).waitFor();
      await page.getByText(/不达标→已达标：1 人/).waitFor();
      await page.getByRole('button', { name: '保存为新版本' }).click();
      await page.getByText('已保存为第 2 版，学员判定将按新版本重新计算').waitFor();
      await page.getByText('浏览器测试：只看是否参训').waitFor();
    });

    await inTab(c.browser, async (page) => {
      await signIn(page, 'trainee', '/trainee/verdict');
      // The sweep re-judges verdicts of an older version within seconds.
      for (let i = 0; i < 20 && !(await page.getByText('规则集第 2 版', { exact: false }).count()); i++) {
        await page.waitForTimeout(1000);
        await page.reload();
      }
      await page.getByText('规则集第 2 版', { exact: false }).waitFor();
      await page.getByText('已达标').first().waitFor();
      await page.getByText('全部要求均已完成。').waitFor();
    });
  });
});
