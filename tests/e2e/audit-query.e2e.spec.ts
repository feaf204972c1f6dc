// Searching and exporting the audit log over HTTP: filters, paging, the xlsx export (itself on the
// record), and the jurisdiction wall — an auditor of 伊春 never sees 淄博's records.
import * as ExcelJS from 'exceljs';
import { AUDIT_XLSX_SHEET, AuditTrail } from '@app/audit';
import { activate, call, demoPasswords } from '../support/auth-client';
import { startTestApp, TestApp } from '../support/app';
import { auditRecords } from '../support/audit';

jest.setTimeout(120_000);

let t: TestApp;
const tokens: Record<string, string> = {};
/** A tag no other record carries, so each search sees only what this suite wrote. */
const TAG = `q${Date.now().toString(36)}`;

beforeAll(async () => {
  t = await startTestApp('audit-query');
  const passwords = demoPasswords(t.app);
  for (const user of ['admin', 'yc-hrss', 'zb-hrss', 'yc-institution', 'trainee']) tokens[user] = (await activate(t.baseUrl, user, passwords.get(user)!)).accessToken;
  // Records of two jurisdictions, written as the use cases write them (the query is under test here, not the use cases).
  const trail = t.app.get(AuditTrail);
  const system = { kind: 'system' as const, reason: '审计查询测试' };
  for (let i = 0; i < 3; i++) {
    await trail.recordRead(system, { action: `${TAG}.read`, target: { type: 'trainee', id: `yc-${i}` }, tenant: { institutionId: '65a000000000000000000001', regionCode: '230702' } });
  }
  await trail.recordRead(system, { action: `${TAG}.write`, target: { type: 'trainee', id: 'yc-w' }, tenant: { regionCode: '230700' } });
  await trail.recordRead(system, { action: `${TAG}.read`, target: { type: 'trainee', id: 'zb-0' }, tenant: { regionCode: '370302' } });
});
afterAll(async () => {
  await t?.stop();
});

const search = (user: string, query: Record<string, string>) =>
  call(t.baseUrl, 'GET', `/api/v1/audit/records?${new URLSearchParams(query)}`, { token: tokens[user] });
const ids = (res: { body: { items: Array<{ target: { id: string } }> } }) => res.body.items.map((i) => i.target.id).sort();

it('an auditor sees the records of their jurisdiction only, even when asking for another region', async () => {
  expect(ids(await search('yc-hrss', { action: `${TAG}.*` }))).toEqual(['yc-0', 'yc-1', 'yc-2', 'yc-w']);
  expect(ids(await search('zb-hrss', { action: `${TAG}.*` }))).toEqual(['zb-0']);
  const asked = await search('yc-hrss', { action: `${TAG}.*`, regionCode: '3703' });
  expect(asked.status).toBe(200);
  expect(asked.body).toMatchObject({ items: [], total: 0 });
  expect(ids(await search('admin', { action: `${TAG}.*` }))).toHaveLength(5);
});

it('filters by action, target, tenant and time, pages with a total, newest first', async () => {
  expect(ids(await search('admin', { action: `${TAG}.write` }))).toEqual(['yc-w']);
  expect(ids(await search('admin', { action: `${TAG}.*`, targetId: 'zb-0' }))).toEqual(['zb-0']);
  expect(ids(await search('admin', { action: `${TAG}.*`, institutionId: '65a000000000000000000001' }))).toEqual(['yc-0', 'yc-1', 'yc-2']);
  expect(ids(await search('admin', { action: `${TAG}.*`, regionCode: '230702' }))).toEqual(['yc-0', 'yc-1', 'yc-2']);
  expect((await search('admin', { action: `${TAG}.*`, from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' })).body.total).toBe(0);

  const first = await search('admin', { action: `${TAG}.*`, limit: '2' });
  const second = await search('admin', { action: `${TAG}.*`, limit: '2', offset: '2' });
  expect(first.body).toMatchObject({ total: 5, offset: 0, limit: 2 });
  const times = [...first.body.items, ...second.body.items].map((i: { at: string }) => Date.parse(i.at));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  expect(new Set([...ids(first), ...ids(second)]).size).toBe(4);
  expect(first.body.items[0]).toMatchObject({ actor: { kind: 'system', reason: '审计查询测试' }, partition: expect.any(String), seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
});

it('exports the search to xlsx, within the jurisdiction, and records the export', async () => {
  const res = await fetch(`${t.baseUrl}/api/v1/audit/records/export?${new URLSearchParams({ action: `${TAG}.*` })}`, { headers: { authorization: `Bearer ${tokens['yc-hrss']}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet(AUDIT_XLSX_SHEET)!;
  expect(ws.getRow(1).getCell(1).value).toBe('时间（北京时间）');
  const targets = Array.from({ length: ws.rowCount - 1 }, (_, i) => String(ws.getRow(i + 2).getCell(7).value)).sort();
  expect(targets).toEqual(['yc-0', 'yc-1', 'yc-2', 'yc-w']);
  const [exported] = await auditRecords(t.app, { action: 'audit.export' });
  expect(exported).toMatchObject({ actor: { kind: 'user', role: 'auditor' }, tenant: { regionCode: '230700' }, after: { action: `${TAG}.*`, count: 4, truncated: false } });
});

it('answers bad filters with 400 and other roles with 403', async () => {
  const bad: Record<string, string>[] = [{ action: 'Not A Code' }, { regionCode: '23x' }, { from: 'yesterday' }, { institutionId: 'x' }, { limit: '500' }];
  for (const query of bad) {
    const res = await search('admin', query);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  }
  for (const user of ['yc-institution', 'trainee']) expect((await search(user, {})).status).toBe(403);
});
