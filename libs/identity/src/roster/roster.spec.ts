import * as ExcelJS from 'exceljs';
import type { Organisation } from '../organisations/organisation.entity';
import { usccCheckChar } from '../organisations/uscc';
import { residentIdCheckChar } from '../trainees/resident-id';
import { mapHeader, normaliseHeader } from './roster-columns';
import { flattenCell, readRoster } from './roster-reader';
import { EnterpriseDirectory, RosterRowInput, RosterRowValidator } from './roster-row';
import { buildRosterTemplate, ROSTER_SHEET_NAME } from './roster-template';

const id = (first17: string) => first17 + residentIdCheckChar(first17);
const uscc = (first17: string) => first17 + usccCheckChar(first17);
const NOW = new Date('2026-06-01T00:00:00Z');
const CATEGORIES = [
  { code: 'deputy_head', name: '安全生产与职业健康分管负责人' },
  { code: 'team_leader', name: '一线班组长（含车间主任、车队长）' },
];
const ent = (n: number, name: string, code?: string): Organisation => ({ id: `e${n}`, kind: 'enterprise', name, uscc: code, regionCode: '230702', demo: false });
const ACME = uscc('91230702MA1B2C3D4');
const ENTERPRISES = [ent(1, '伊春示范矿业有限公司', ACME), ent(2, '同名企业'), ent(3, '同名企业'), ent(4, '林业 (集团) 公司')];

const validator = () => new RosterRowValidator(CATEGORIES, new EnterpriseDirectory(ENTERPRISES), NOW);
const row = (cells: RosterRowInput['cells'], n = 2): RosterRowInput => ({
  row: n,
  cells: { name: '张三', idNumber: id('23070219880808202'), enterpriseUscc: ACME, category: 'team_leader', ...cells },
});
const reasons = (r: ReturnType<RosterRowValidator['check']>) => (r.ok ? [] : r.problems.map((p) => `${p.column}:${p.reason}`));

describe('roster header mapping', () => {
  it('maps template headers, aliases and required marks to fields by column', () => {
    const m = mapHeader([undefined, '序号', ' 姓 名* ', '身份证号码', '手机', '统一社会信用代码', '人员类别（必填）', '岗位']);
    expect([...m.fields]).toEqual([
      [2, 'name'],
      [3, 'idNumber'],
      [4, 'phone'],
      [5, 'enterpriseUscc'],
      [6, 'category'],
      [7, 'post'],
    ]);
    expect(m).toMatchObject({ missing: [], unknown: [], duplicated: [] });
  });

  it('names missing, unknown and repeated columns', () => {
    const m = mapHeader([undefined, '姓名', '姓名', '籍贯', '岗位']);
    expect(m.missing).toEqual(['身份证号', '人员类别', '企业统一社会信用代码 或 企业名称']);
    expect(m.unknown).toEqual(['籍贯']);
    expect(m.duplicated).toEqual(['姓名']);
  });

  it('normalises full-width characters and spaces', () => {
    expect(normaliseHeader('＊身份证号　')).toBe('身份证号');
  });
});

describe('roster row validation', () => {
  it('accepts a good row and resolves the enterprise by credit code, category by code or name', () => {
    const r = validator().check(row({ category: '一线班组长（含车间主任、车队长）', phone: 13912345678, post: ' 班长 ' }));
    expect(r).toEqual({
      ok: true,
      person: { row: 2, name: '张三', idNumber: id('23070219880808202'), phone: '13912345678', enterpriseId: 'e1', category: 'team_leader', post: '班长' },
    });
  });

  it('resolves by name ignoring full-width brackets and spaces, refuses ambiguous and unknown names', () => {
    const v = validator();
    expect(v.check(row({ enterpriseUscc: undefined, enterpriseName: '林业（集团）公司' }, 2))).toMatchObject({ ok: true, person: { enterpriseId: 'e4' } });
    expect(reasons(v.check(row({ idNumber: id('23070219880808210'), enterpriseUscc: undefined, enterpriseName: '同名企业' }, 3)))).toEqual([
      '企业名称:有多家同名企业，请填写企业统一社会信用代码',
    ]);
    expect(reasons(v.check(row({ idNumber: id('23070219880808229'), enterpriseUscc: undefined, enterpriseName: '别处公司' }, 4)))).toEqual([
      '企业名称:本机构所在地区未登记名为“别处公司”的企业',
    ]);
  });

  it.each([
    [{ name: '' }, '姓名:请填写姓名'],
    [{ name: '张3' }, '姓名:姓名不应包含数字，请检查是否与其他列错位'],
    [{ name: '长'.repeat(51) }, '姓名:姓名不能超过 50 个字符'],
    [{ idNumber: undefined }, '身份证号:请填写身份证号'],
    [{ idNumber: 230702198808082020 }, '身份证号:身份证号被 Excel 存成了数字（末几位已丢失），请将该列设为“文本”格式后重新填写'],
    [{ idNumber: '2307021988080820' }, '身份证号:身份证号应为18位（第一代15位身份证已停止使用）'],
    [{ idNumber: id('23070219880230202') }, '身份证号:身份证号中的出生日期不存在或晚于今天'],
    [{ idNumber: id('99070219880808202') }, '身份证号:身份证号前6位不是有效的行政区划代码'],
    [{ idNumber: id('23070219880808202').slice(0, 17) + (id('23070219880808202').endsWith('1') ? '2' : '1') }, '身份证号:身份证号校验位不正确'],
    [{ phone: '1391234567' }, '手机号:手机号应为 11 位数字，以 1 开头'],
    [{ enterpriseUscc: undefined }, '企业统一社会信用代码:请填写企业统一社会信用代码或企业名称'],
    [{ enterpriseUscc: ACME.slice(0, 17) + (ACME.endsWith('1') ? '2' : '1') }, '企业统一社会信用代码:统一社会信用代码校验位不正确'],
    [{ enterpriseUscc: uscc('91370302MA1B2C3D4') }, '企业统一社会信用代码:本机构所在地区未登记该统一社会信用代码的企业'],
    [{ enterpriseName: '别的公司' }, '企业名称:企业名称与统一社会信用代码不符（平台登记的名称为“伊春示范矿业有限公司”）'],
    [{ category: '' }, '人员类别:请填写人员类别'],
    [{ category: '专职安全管理人员' }, '人员类别:人员类别须为本项目的：安全生产与职业健康分管负责人、一线班组长（含车间主任、车队长）'],
    [{ post: '岗'.repeat(101) }, '岗位:岗位不能超过 100 个字符'],
  ])('reports %p as %s', (cells, expected) => {
    expect(reasons(validator().check(row(cells as RosterRowInput['cells'])))).toEqual([expected]);
  });

  it('collects every problem of one row', () => {
    const r = validator().check(row({ name: '', idNumber: 'x', phone: '1', category: '?' }, 9));
    expect(r).toMatchObject({ ok: false, row: 9 });
    expect(reasons(r).map((x) => x.split(':')[0])).toEqual(['姓名', '身份证号', '手机号', '人员类别']);
  });

  it('reports the second row of the same person against the first valid one', () => {
    const v = validator();
    expect(v.check(row({ category: '?' }, 2)).ok).toBe(false);
    expect(v.check(row({}, 3)).ok).toBe(true);
    expect(reasons(v.check(row({ idNumber: ' ' + id('23070219880808202').toLowerCase() }, 7)))).toEqual([
      '身份证号:与第 3 行的身份证号重复（同一人在名单中只能出现一次）',
    ]);
  });
});

describe('roster file reading', () => {
  const xlsx = async (rows: unknown[][]) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    rows.forEach((r) => ws.addRow(r));
    return Buffer.from(await wb.xlsx.writeBuffer());
  };
  const drain = async (buf: Buffer) => {
    const out: RosterRowInput[] = [];
    for await (const r of readRoster(buf)) out.push(r);
    return out;
  };
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  it('flattens rich text, formulas, hyperlinks and dates', () => {
    expect(flattenCell({ richText: [{ text: '张' }, { text: '三' }] })).toBe('张三');
    expect(flattenCell({ formula: 'A1', result: 42 })).toBe(42);
    expect(flattenCell({ text: 'x', hyperlink: 'http://e' })).toBe('x');
    expect(flattenCell(new Date('2020-02-03T00:00:00Z'))).toBe('2020-02-03');
    expect(flattenCell(null)).toBeUndefined();
  });

  it('skips blank rows and keeps sheet row numbers', async () => {
    const rows = await drain(await xlsx([[], ['姓名', '身份证号', '企业名称', '人员类别'], ['张三', 'x', 'y', 'z'], [], ['李四']]));
    expect(rows).toEqual([
      { row: 3, cells: { name: '张三', idNumber: 'x', enterpriseName: 'y', category: 'z' } },
      { row: 5, cells: { name: '李四', idNumber: undefined, enterpriseName: undefined, category: undefined } },
    ]);
  });

  it('keeps Chinese text intact across the whole sheet (the streaming reader split characters)', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `一线班组长（含车间主任、车队长）${i}`);
    const rows = await drain(await xlsx([['姓名', '身份证号', '企业名称', '人员类别'], ...names.map((n) => ['王五', 'x', n, n])]));
    expect(rows.filter((r, i) => r.cells.category !== names[i])).toEqual([]);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'ROSTER_FILE_EMPTY'],
    ['a text file', Buffer.from('姓名,身份证号\n'), 'ROSTER_FILE_INVALID'],
    ['a broken zip', Buffer.from('PK\x03\x04garbage'), 'ROSTER_FILE_INVALID'],
  ])('refuses %s', async (_what, buf, expected) => {
    expect(await code(drain(buf))).toBe(expected);
  });

  it('refuses an empty sheet, a sheet without header, wrong headers and a header without rows', async () => {
    expect(await code(drain(await xlsx([])))).toBe('ROSTER_HEADER_MISSING');
    expect(await code(drain(await xlsx([['张三', id('23070219880808202')]])))).toBe('ROSTER_HEADER_MISSING');
    expect(await code(drain(await xlsx([['姓名', '证件', '单位'], ['a', 'b', 'c']])))).toBe('ROSTER_HEADER_INVALID');
    expect(await code(drain(await xlsx([['姓名', '身份证号', '企业名称', '人员类别']])))).toBe('ROSTER_NO_ROWS');
  });
});

describe('roster template', () => {
  it('has the header row the importer maps, text-formatted ID cells, a category list and notes', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildRosterTemplate({ name: '伊春项目', categories: CATEGORIES })) as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet(ROSTER_SHEET_NAME)!;
    const header = (sheet.getRow(1).values as unknown[]).map((v) => (v === undefined ? undefined : String(v)));
    expect(mapHeader(header)).toMatchObject({ missing: [], unknown: [], duplicated: [] });
    expect(sheet.getCell('B2').numFmt).toBe('@');
    expect(sheet.getCell('F2').dataValidation).toMatchObject({ type: 'list' });
    const notes = wb.worksheets[1];
    const text = JSON.stringify(notes.getSheetValues());
    for (const c of CATEGORIES) expect(text).toContain(c.name);
    expect(text).toContain('GB 11643');
  });
});
