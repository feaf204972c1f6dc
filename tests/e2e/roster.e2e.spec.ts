import * as ExcelJS from 'exceljs';
import { idWithCheck, rosterXlsx, SAMPLE_HEADERS, sampleIdNumber, sampleRow, SampleRow } from '../../bench/roster';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords } from '../support/auth-client';

interface Program {
  id: string;
  code: string;
  categories: Array<{ code: string; name: string }>;
}

describe('roster import over HTTP', () => {
  let t: TestApp;
  let base: string;
  const tokens: Record<string, string> = {};
  let program: Program;
  let enterprises: Array<{ id: string; kind: string; uscc?: string; name: string }>;

  beforeAll(async () => {
    t = await startTestApp('roster');
    base = t.baseUrl;
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'zb-institution', 'yc-hrss']) tokens[u] = (await activate(base, u, pw.get(u)!)).accessToken;
    program = ((await call(base, 'GET', '/api/v1/programs')).body.items as Program[]).find((p) => p.code === 'YC-2025-MINING')!;
    enterprises = (await call(base, 'GET', '/api/v1/organisations', { token: tokens['yc-institution'] })).body.items.filter(
      (o: { kind: string }) => o.kind === 'enterprise',
    );
  });
  afterAll(() => t?.stop());

  const upload = async (file: Buffer | undefined, who = 'yc-institution', programId = program.id, institutionId?: string) => {
    const form = new FormData();
    form.set('programId', programId);
    if (institutionId) form.set('institutionId', institutionId);
    if (file) form.set('file', new Blob([new Uint8Array(file)]), 'roster.xlsx');
    const res = await fetch(`${base}/api/v1/trainees/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[who]}` },
      body: form,
      signal: AbortSignal.timeout(120_000),
    });
    return { status: res.status, body: await res.json() };
  };

  it('imports 980 of 1,000 rows, reports the 20 bad ones with row, column and reason, and a second import changes nothing', async () => {
    const categories = program.categories.map((c) => c.name);
    const rows: SampleRow[] = Array.from({ length: 1000 }, (_, i) => sampleRow(i, enterprises, categories));
    const good = rows[0];
    const wrongCheck = (i: number) => {
      const n = sampleIdNumber(i);
      return n.slice(0, 17) + (n[17] === '1' ? '2' : '1');
    };
    // 20 broken rows of different kinds, spread through the file: [index, row, expected column].
    const bad: Array<[number, SampleRow, string]> = [
      [10, { ...rows[10], idNumber: wrongCheck(10) }, '身份证号'],
      [55, { ...rows[55], idNumber: idWithCheck('23071719880230123') }, '身份证号'],
      [99, { ...rows[99], idNumber: String(rows[99].idNumber).slice(0, 15) }, '身份证号'],
      [150, { ...rows[150], idNumber: 230717196001011230 }, '身份证号'],
      [201, { ...rows[201], idNumber: idWithCheck('99071719880101123') }, '身份证号'],
      [250, { ...rows[250], idNumber: idWithCheck('23071720991231123') }, '身份证号'],
      [333, { ...rows[333], idNumber: good.idNumber }, '身份证号'],
      [380, { ...rows[380], name: undefined }, '姓名'],
      [420, { ...rows[420], name: '王5' }, '姓名'],
      [470, { ...rows[470], phone: '2391234567' }, '手机号'],
      [512, { ...rows[512], enterpriseUscc: undefined, enterpriseName: undefined }, '企业统一社会信用代码'],
      [560, { ...rows[560], enterpriseUscc: '91230702MA1B2C3D4X', enterpriseName: undefined }, '企业统一社会信用代码'],
      [610, { ...rows[610], enterpriseUscc: undefined, enterpriseName: '不存在的公司' }, '企业名称'],
      [655, { ...rows[655], enterpriseUscc: enterprises[0].uscc, enterpriseName: '另一家公司' }, '企业名称'],
      [700, { ...rows[700], category: '普通职工' }, '人员类别'],
      [745, { ...rows[745], category: undefined }, '人员类别'],
      [801, { ...rows[801], post: '岗'.repeat(101) }, '岗位'],
      [850, { ...rows[850], name: '名'.repeat(51) }, '姓名'],
      [905, { ...rows[905], phone: '138123456789' }, '手机号'],
      [998, { ...rows[998], idNumber: ` ${String(rows[4].idNumber).toLowerCase()} ` }, '身份证号'],
    ];
    for (const [i, r] of bad) rows[i] = r;
    const file = await rosterXlsx(rows);

    const first = await upload(file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ programId: program.id, totalRows: 1000, created: 980, updated: 0, unchanged: 0, rejected: 20 });
    expect(first.body.errors).toHaveLength(20);
    // Sheet row = index + 2 (header is row 1).
    expect(first.body.errors.map((e: { row: number }) => e.row)).toEqual(bad.map(([i]) => i + 2));
    for (const [k, e] of (first.body.errors as Array<{ row: number; problems: Array<{ column: string; reason: string; field: string }> }>).entries()) {
      expect(e.problems[0].column).toBe(bad[k][2]);
      expect(e.problems[0].reason).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(first.body.errors.find((e: { row: number }) => e.row === 335).problems[0].reason).toBe('与第 2 行的身份证号重复（同一人在名单中只能出现一次）');

    const second = await upload(file);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ totalRows: 1000, created: 0, updated: 0, unchanged: 980, rejected: 20 });

    const listed = await call(base, 'GET', `/api/v1/trainees?programId=${program.id}&limit=1`, { token: tokens['yc-institution'] });
    expect(listed.body.total).toBeGreaterThanOrEqual(980);
  }, 180_000);

  it('updates changed people and reports it', async () => {
    const rows = Array.from({ length: 3 }, (_, i) => sampleRow(5000 + i, enterprises, program.categories.map((c) => c.code)));
    expect((await upload(await rosterXlsx(rows))).body).toMatchObject({ created: 3, rejected: 0 });
    rows[1] = { ...rows[1], post: '新岗位', phone: '13700000000' };
    expect((await upload(await rosterXlsx(rows))).body).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
  });

  it('refuses a person the other institution already enrolled, without overwriting them', async () => {
    const zbProgram = ((await call(base, 'GET', '/api/v1/programs')).body.items as Program[]).find((p) => p.code === 'ZB-2024')!;
    const zbEnterprise = (await call(base, 'GET', '/api/v1/organisations', { token: tokens['zb-institution'] })).body.items.find(
      (o: { kind: string }) => o.kind === 'enterprise',
    );
    const person = sampleRow(6000, [zbEnterprise], zbProgram.categories.map((c) => c.code));
    expect((await upload(await rosterXlsx([person]), 'zb-institution', zbProgram.id)).body).toMatchObject({ created: 1 });
    // 伊春 cannot see the Zibo enterprise, so the same row is refused at the enterprise.
    const ycTry = await upload(await rosterXlsx([person]), 'yc-institution', zbProgram.id);
    expect(ycTry.body).toMatchObject({ created: 0, updated: 0, rejected: 1 });
    const ycOwn = sampleRow(6000, enterprises, zbProgram.categories.map((c) => c.code));
    const conflict = await upload(await rosterXlsx([ycOwn]), 'yc-institution', zbProgram.id);
    expect(conflict.body).toMatchObject({ created: 0, updated: 0, rejected: 1 });
    expect(conflict.body.errors[0].problems[0]).toMatchObject({ field: 'idNumber', reason: '该学员已由其他培训机构在本项目中登记' });
  });

  it.each([
    ['no file', undefined, 400, 'ROSTER_FILE_MISSING'],
    ['an empty file', Buffer.alloc(0), 400, 'ROSTER_FILE_EMPTY'],
    ['a CSV file', Buffer.from('姓名,身份证号\n张三,1\n'), 400, 'ROSTER_FILE_INVALID'],
    ['a file over 10 MB', Buffer.alloc(10 * 1024 * 1024 + 1), 413, 'ROSTER_FILE_TOO_LARGE'],
  ])('answers %s with a clear 4xx code', async (_what, file, status, code) => {
    const res = await upload(file as Buffer | undefined);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('answers a sheet without header, with wrong headers or without rows with a clear code', async () => {
    const noHeader = await upload(await rosterXlsx([sampleRow(1, enterprises, ['x'])], []));
    expect(noHeader.body.code).toBe('ROSTER_HEADER_MISSING');
    const wrong = await upload(await rosterXlsx([sampleRow(1, enterprises, ['x'])], ['姓名', '证件号', ...SAMPLE_HEADERS.slice(2)]));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'ROSTER_HEADER_INVALID', details: { missing: ['身份证号'], unknown: ['证件号'] } });
    const empty = await upload(await rosterXlsx([]));
    expect(empty.body.code).toBe('ROSTER_NO_ROWS');
  });

  it('refuses auditors and unknown programs', async () => {
    expect((await upload(await rosterXlsx([]), 'yc-hrss')).status).toBe(403);
    const res = await upload(await rosterXlsx([sampleRow(1, enterprises, ['x'])]), 'yc-institution', '65a000000000000000000001');
    expect(res.status).toBe(400);
    expect(res.body.details.fields[0].field).toBe('programId');
  });

  it('lets administrators import for a named institution only', async () => {
    const rows = [sampleRow(8000, enterprises, [program.categories[0].code])];
    const missing = await upload(await rosterXlsx(rows), 'admin');
    expect(missing.status).toBe(400);
    expect(missing.body.details.fields[0].field).toBe('institutionId');
    const institutionId = (await call(base, 'GET', '/api/v1/organisations', { token: tokens['yc-institution'] })).body.items.find(
      (o: { kind: string }) => o.kind === 'institution',
    ).id;
    const res = await upload(await rosterXlsx(rows), 'admin', program.id, institutionId);
    expect(res.body).toMatchObject({ created: 1, rejected: 0 });
    const seen = await call(base, 'GET', `/api/v1/trainees?idNumber=${rows[0].idNumber}`, { token: tokens['yc-institution'] });
    expect(seen.body.items).toHaveLength(1);
  });

  it('serves a template whose filled-in copy imports', async () => {
    const res = await fetch(`${base}/api/v1/trainees/import/template?programId=${program.id}`, { headers: { authorization: `Bearer ${tokens['yc-institution']}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['学员名单', '填写说明']);
    const sheet = wb.worksheets[0];
    const person = sampleRow(7000, enterprises, [program.categories[0].name]);
    sheet.getRow(2).values = [person.name, person.idNumber, person.phone, person.enterpriseUscc, person.enterpriseName, person.category, person.post];
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await upload(filled)).body).toMatchObject({ totalRows: 1, created: 1, rejected: 0 });
  });

  const exportRoster = async (who: string, programId = program.id) => {
    const res = await fetch(`${base}/api/v1/trainees/export?programId=${programId}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    return { res, body: Buffer.from(await res.arrayBuffer()) };
  };

  it('exports the roster with the import columns: full ID numbers, the institution\'s people only, and it imports back unchanged', async () => {
    const mine = await call(base, 'GET', `/api/v1/trainees?programId=${program.id}&limit=1`, { token: tokens['yc-institution'] });
    const { res, body } = await exportRoster('yc-institution');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('学员名单-YC-2025-MINING');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0];
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(['姓名*', '身份证号*', '手机号', '企业统一社会信用代码', '企业名称', '人员类别*', '岗位']);
    expect(sheet.actualRowCount - 1).toBe(mine.body.total);
    const ids = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 1) ids.add(String(row.getCell(2).value));
    });
    expect([...ids].every((id) => /^\d{17}[\dX]$/.test(id))).toBe(true);

    // What the export says is exactly what is registered: importing it back changes nobody.
    const back = await upload(body);
    expect(back.body).toMatchObject({ totalRows: mine.body.total, created: 0, updated: 0, unchanged: mine.body.total, rejected: 0 });

    // Zibo staff exporting 伊春's program get only their own people in it (none of 伊春's).
    const zb = await exportRoster('zb-institution');
    const zbBook = new ExcelJS.Workbook();
    await zbBook.xlsx.load(zb.body as unknown as ExcelJS.Buffer);
    zbBook.worksheets[0].eachRow((row, n) => {
      if (n > 1) expect(ids.has(String(row.getCell(2).value))).toBe(false);
    });
  }, 120_000);

  it('refuses the export to auditors and trainees, and for an unknown program', async () => {
    expect((await exportRoster('yc-hrss')).res.status).toBe(403);
    const unknown = await exportRoster('yc-institution', '65a000000000000000000001');
    expect(unknown.res.status).toBe(400);
    expect(JSON.parse(unknown.body.toString()).details.fields[0].field).toBe('programId');
  });
});
