// 花名册导入 in Chromium against the real API: the template is downloaded from the page, filled
// with good and bad rows, uploaded; the refused rows are listed with column and reason, and the
// same file uploaded again changes nothing; the export is that roster back; a paper consent form
// is recorded with its scan for a trainee who has no account, and its withdrawal registered.
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { residentIdCheckChar } from '@app/identity';
import { inTab, loginAt, screenshot, startConsoleApp, type ConsoleApp } from '../support/browser';
import { activate, call, demoPasswords } from '../support/auth-client';

jest.setTimeout(180_000);

let consoleApp: ConsoleApp;
let password: string;
let enterpriseUscc: string;
const workDir = join(tmpdir(), `gsyf-console-roster-${process.pid}`);
const shotsDir = join(tmpdir(), `gsyf-console-roster-shots-${process.pid}`);

beforeAll(async () => {
  await Promise.all([mkdir(workDir, { recursive: true }), mkdir(shotsDir, { recursive: true })]);
  consoleApp = await startConsoleApp('console-roster');
  const { app, baseUrl } = consoleApp.app;
  const session = await activate(baseUrl, 'yc-institution', demoPasswords(app).get('yc-institution')!);
  password = session.password;
  const orgs = await call(baseUrl, 'GET', '/api/v1/organisations?kind=enterprise', { token: session.accessToken });
  enterpriseUscc = (orgs.body.items as { uscc?: string }[]).find((o) => o.uscc)!.uscc!;
});

afterAll(async () => {
  await consoleApp?.stop();
  await rm(workDir, { recursive: true, force: true });
});

const id = (body17: string) => body17 + residentIdCheckChar(body17);
const wrongId = (body17: string) => body17 + (residentIdCheckChar(body17) === '1' ? '2' : '1');

/** Fills the downloaded template's first sheet under its own headers. */
async function fillTemplate(templatePath: string, rows: Record<string, string>[], out: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(templatePath);
  const sheet = book.worksheets[0];
  const headers = new Map<string, number>();
  // Required columns are marked "姓名*" in the template.
  sheet.getRow(1).eachCell((cell, col) => headers.set(String(cell.value).replace(/\*$/, ''), col));
  rows.forEach((values, i) => {
    const row = sheet.getRow(2 + i);
    for (const [header, value] of Object.entries(values)) {
      const col = headers.get(header);
      if (!col) throw new Error(`模板中没有列：${header}（有：${[...headers.keys()].join('、')}）`);
      row.getCell(col).value = value;
    }
    row.commit();
  });
  await book.xlsx.writeFile(out);
}

async function importFile(page: Page, file: string): Promise<void> {
  await page.locator('input[type=file]').setInputFiles(file);
  // Choosing a file clears the previous result; the next summary is this import's.
  await page.getByTestId('roster-summary').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: /导\s*入/ }).click();
  await page.getByTestId('roster-summary').waitFor();
}

const stat = (page: Page, title: string) =>
  page.getByTestId('roster-summary').locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content-value').textContent();

test('institution: template download, import with a per-row error table, re-import changes nothing', async () => {
  const { baseUrl } = consoleApp.app;
  await inTab(consoleApp.browser, async (page) => {
    await loginAt(page, baseUrl, 'yc-institution', password, '/institution/roster-import');
    await page.getByLabel('培训项目').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '伊春' }).first().click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载模板' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const template = join(workDir, 'template.xlsx');
    await download.saveAs(template);

    const category = '一线班组长（含车间主任、车队长）';
    const roster = join(workDir, 'roster.xlsx');
    await fillTemplate(
      template,
      [
        { 姓名: '导入甲', 身份证号: id('23071719800101121'), 企业统一社会信用代码: enterpriseUscc, 人员类别: category },
        { 姓名: '导入乙', 身份证号: id('23071719810202122'), 企业统一社会信用代码: enterpriseUscc, 人员类别: category, 手机号: '13900002222' },
        { 姓名: '导入丙', 身份证号: wrongId('23071719820303123'), 企业统一社会信用代码: enterpriseUscc, 人员类别: category },
        { 姓名: '导入丁', 身份证号: id('23071719830404124'), 企业名称: '不存在的公司', 人员类别: category },
      ],
      roster,
    );

    await importFile(page, roster);
    expect([await stat(page, '名单行数'), await stat(page, '新登记'), await stat(page, '未导入')]).toEqual(['4', '2', '2']);
    const errors = page.getByTestId('roster-errors').locator('tbody tr.ant-table-row');
    expect(await errors.count()).toBe(2);
    const third = errors.filter({ hasText: '导入丙' });
    expect(await third.locator('td').first().textContent()).toBe('4');
    await third.getByText('身份证号', { exact: true }).waitFor();
    await third.getByText('身份证号校验位不正确').waitFor();
    const fourth = errors.filter({ hasText: '导入丁' });
    expect(await fourth.locator('td').first().textContent()).toBe('5');
    await fourth.getByText('企业名称', { exact: true }).waitFor();
    await screenshot(page, shotsDir, 'roster-import-errors');

    // The same file again: the good rows are already there, nothing new is registered.
    await importFile(page, roster);
    expect([await stat(page, '新登记'), await stat(page, '无变化'), await stat(page, '未导入')]).toEqual(['0', '2', '2']);

    await page.goto(`${baseUrl}/institution/trainees?name=${encodeURIComponent('导入')}`);
    await page.getByTestId('trainees-table').getByText('导入甲').waitFor();
    expect(await page.getByTestId('trainees-table').locator('tbody tr.ant-table-row').count()).toBe(2);
  }, { allowHttpRefusals: true });
});

test('institution: the roster export lists the registered people with full ID numbers and imports back unchanged', async () => {
  const { baseUrl } = consoleApp.app;
  await inTab(consoleApp.browser, async (page) => {
    await loginAt(page, baseUrl, 'yc-institution', password, '/institution/roster-import');
    await page.getByLabel('培训项目').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '伊春' }).first().click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出名单' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^学员名单-YC-2025-MINING-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const exported = join(workDir, 'export.xlsx');
    await download.saveAs(exported);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(exported);
    const people = new Map<string, string>();
    book.worksheets[0].eachRow((row, n) => n > 1 && people.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(people.get('导入甲')).toBe(id('23071719800101121'));
    expect(people.get('导入乙')).toBe(id('23071719810202122'));

    await importFile(page, exported);
    expect([await stat(page, '新登记'), await stat(page, '更新'), await stat(page, '未导入')]).toEqual(['0', '0', '0']);
    expect(await stat(page, '无变化')).toBe(String(people.size));
  }, { allowHttpRefusals: true });
});

test('institution: records a signed paper consent form with its scan, shows the scan, registers the withdrawal', async () => {
  const { baseUrl } = consoleApp.app;
  const session = await activate(baseUrl, 'yc-institution', password);
  const programId = (await call(baseUrl, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
  const enterpriseId = (await call(baseUrl, 'GET', '/api/v1/organisations?kind=enterprise', { token: session.accessToken })).body.items[0].id;
  const reg = await call(baseUrl, 'POST', '/api/v1/trainees', {
    token: session.accessToken,
    body: { programId, name: '纸质同意学员', idNumber: id('23070219870303561'), enterpriseId, category: 'team_leader' },
  });
  expect(reg.status).toBe(201);
  await inTab(consoleApp.browser, async (page) => {
    await loginAt(page, baseUrl, 'yc-institution', password, `/institution/trainees/${reg.body.id}`);
    const panel = page.getByTestId('face-consent');
    await panel.getByTestId('consent-state').getByText('未同意').waitFor();
    const form = panel.getByTestId('paper-consent-form');
    // Without a file the form says what is missing and sends nothing.
    await form.getByRole('button', { name: '录入纸质同意书' }).click();
    await form.getByText('请选择签字的同意书扫描件').waitFor();
    // A photo of the signed page (any JPEG stands in for it).
    await form.locator('input[type=file]').setInputFiles(join(__dirname, '../../../shared/fixtures/faces/obama-1.jpg'));
    await form.getByRole('button', { name: '录入纸质同意书' }).click();
    await panel.getByTestId('consent-state').getByText('已同意').waitFor();
    // Enrolment follows at once: the card no longer says consent is missing.
    await page.getByTestId('face-enrolment').getByText('尚无底库照片').waitFor();
    expect(await page.getByTestId('face-enrolment').getByText('学员尚未同意人脸信息处理').count()).toBe(0);
    const row = panel.getByTestId('consent-history').locator('tbody tr.ant-table-row').first();
    await row.getByText('纸质同意书').waitFor();
    await row.getByRole('button', { name: '查看扫描件' }).click();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img[data-testid=consent-scan]');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    await screenshot(page, shotsDir, 'paper-consent-scan');
    await page.keyboard.press('Escape');

    await panel.getByRole('button', { name: '登记学员撤回同意' }).click();
    const modal = page.locator('.ant-modal', { hasText: '登记学员撤回人脸信息处理同意' });
    await modal.getByRole('button', { name: '确认登记' }).click();
    await modal.getByText('请填写学员撤回同意的方式与说明').waitFor();
    await modal.getByLabel('撤回方式与说明').fill('学员当面口头申请撤回');
    await modal.getByRole('button', { name: '确认登记' }).click();
    await panel.getByTestId('consent-state').getByText('已撤回').waitFor();
    await row.getByText('机构登记：学员当面口头申请撤回', { exact: false }).waitFor();
  });
});
