/**
 * The roster spreadsheet's columns: what the template writes and which headers an uploaded file
 * may use. Institutions keep their own sheets, so a few common alternative headers are accepted;
 * anything else is refused rather than silently dropped (a misspelt "手机" column would otherwise
 * erase every phone number on re-import).
 */
export const ROSTER_FIELDS = ['name', 'idNumber', 'phone', 'enterpriseUscc', 'enterpriseName', 'category', 'post'] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

export interface RosterColumn {
  field: RosterField;
  /** Header written by the template (zh-CN). */
  header: string;
  required: boolean;
  /** Other headers meaning the same column. */
  aliases: string[];
  /** Explained on the template's notes sheet. */
  note: string;
  width: number;
}

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  { field: 'name', header: '姓名', required: true, aliases: ['学员姓名'], note: '必填，与身份证一致，不超过 50 个字符。', width: 12 },
  {
    field: 'idNumber',
    header: '身份证号',
    required: true,
    aliases: ['身份证号码', '公民身份号码', '身份证'],
    note: '必填，18 位公民身份号码（GB 11643-1999），校验位、出生日期、行政区划均会核验；请将该列设为“文本”格式，否则 Excel 会把号码变成科学计数法并丢失末几位。',
    width: 22,
  },
  { field: 'phone', header: '手机号', required: false, aliases: ['手机', '手机号码', '联系电话'], note: '选填，11 位手机号，以 1 开头。', width: 14 },
  {
    field: 'enterpriseUscc',
    header: '企业统一社会信用代码',
    required: false,
    aliases: ['统一社会信用代码', '信用代码'],
    note: '与“企业名称”至少填一项；填写时优先按此代码匹配本机构所在地区已登记的企业。',
    width: 24,
  },
  {
    field: 'enterpriseName',
    header: '企业名称',
    required: false,
    aliases: ['所属企业', '单位名称', '工作单位'],
    note: '与“企业统一社会信用代码”至少填一项；须与平台登记的企业全称一致（本机构所在地区）。',
    width: 30,
  },
  {
    field: 'category',
    header: '人员类别',
    required: true,
    aliases: ['类别', '人员分类'],
    note: '必填，本培训项目的人员类别，可从下拉列表选择（填写类别名称或代码均可）。',
    width: 30,
  },
  { field: 'post', header: '岗位', required: false, aliases: ['工作岗位', '职务', '工种'], note: '选填，不超过 100 个字符。', width: 16 },
];

/** Headers that carry nothing to import (row numbers people add by habit). */
const IGNORED_HEADERS = new Set(['序号', '编号', '备注']);

export const COLUMN_BY_FIELD: Readonly<Record<RosterField, RosterColumn>> = Object.fromEntries(
  ROSTER_COLUMNS.map((c) => [c.field, c]),
) as Record<RosterField, RosterColumn>;

/** NFKC, no whitespace, no required-marks: "＊姓 名" and "姓名*" are the same header. */
export function normaliseHeader(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').replace(/[*＊（(]必填[)）]|[*＊]/g, '');
}

const FIELD_BY_HEADER = new Map<string, RosterField>(
  ROSTER_COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [normaliseHeader(h), c.field] as const)),
);

export interface HeaderMapping {
  /** Field per 1-based spreadsheet column. */
  fields: Map<number, RosterField>;
  missing: string[];
  unknown: string[];
  duplicated: string[];
}

/**
 * Maps a header row (1-based sparse cells, as exceljs gives them) to fields. Required columns,
 * and at least one enterprise column, must be present.
 */
export function mapHeader(cells: ReadonlyArray<string | undefined>): HeaderMapping {
  const fields = new Map<number, RosterField>();
  const seen = new Set<RosterField>();
  const unknown: string[] = [];
  const duplicated: string[] = [];
  cells.forEach((cell, col) => {
    const h = cell === undefined ? '' : normaliseHeader(cell);
    if (!h || IGNORED_HEADERS.has(h)) return;
    const field = FIELD_BY_HEADER.get(h);
    if (!field) unknown.push(cell!.trim());
    else if (seen.has(field)) duplicated.push(cell!.trim());
    else {
      seen.add(field);
      fields.set(col, field);
    }
  });
  const missing = ROSTER_COLUMNS.filter((c) => c.required && !seen.has(c.field)).map((c) => c.header);
  if (!seen.has('enterpriseUscc') && !seen.has('enterpriseName')) missing.push('企业统一社会信用代码 或 企业名称');
  return { fields, missing, unknown, duplicated };
}

/** Whether a row looks like a header at all (a data row in the first line means the header is missing). */
export function looksLikeHeader(cells: ReadonlyArray<string | undefined>): boolean {
  return cells.some((c) => c !== undefined && FIELD_BY_HEADER.has(normaliseHeader(c)));
}
