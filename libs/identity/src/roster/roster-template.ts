import * as ExcelJS from 'exceljs';
import type { PersonnelCategory } from '@app/catalog';
import { ROSTER_COLUMNS, RosterField } from './roster-columns';

export const ROSTER_SHEET_NAME = '学员名单';
export const ROSTER_NOTES_SHEET_NAME = '填写说明';
/** Rows the category drop-down and text formats cover; rows below still import, just without the list. */
const PREPARED_ROWS = 5000;

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One filled row: a cell per column, as the importer reads it back. */
export type RosterSheetRow = Partial<Record<RosterField, string>>;

/**
 * The downloadable roster template of one program: the header row the importer expects, ID and
 * phone columns formatted as text (Excel would otherwise turn an 18-digit number into 2.3E+17),
 * a drop-down of the program's categories, and a notes sheet explaining each column. The roster
 * export is the same workbook with its rows filled in, so an exported file edited and imported
 * again updates the same people.
 */
export async function buildRosterTemplate(
  program: { name: string; categories: readonly PersonnelCategory[] },
  rows: readonly RosterSheetRow[] = [],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '工伤预防能力提升培训平台';
  const sheet = wb.addWorksheet(ROSTER_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ROSTER_COLUMNS.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.field, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const c of ROSTER_COLUMNS) {
    if (c.field === 'idNumber' || c.field === 'phone' || c.field === 'enterpriseUscc') sheet.getColumn(c.field).numFmt = '@';
  }

  for (const row of rows) sheet.addRow(row);

  const notes = wb.addWorksheet(ROSTER_NOTES_SHEET_NAME);
  notes.columns = [
    { header: '列名', key: 'header', width: 22 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'note', width: 90 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of ROSTER_COLUMNS) {
    notes.addRow({ header: c.header, required: c.required ? '必填' : '选填', note: c.note }).alignment = { wrapText: true, vertical: 'top' };
  }
  notes.addRow({});
  notes.addRow({ header: `培训项目：${program.name}` }).font = { bold: true };
  notes.addRow({ header: '人员类别名称', required: '代码' }).font = { bold: true };
  const firstCategoryRow = notes.rowCount + 1;
  for (const cat of program.categories) notes.addRow({ header: cat.name, required: cat.code });
  const lastCategoryRow = notes.rowCount;
  notes.addRow({});
  notes.addRow({ header: '其他说明' }).font = { bold: true };
  for (const line of [
    '表头必须在第一行；“序号”“备注”列可保留，其他列名请勿修改。',
    '同一身份证号在本项目中只登记一次：再次导入同一名单不会重复登记，已登记学员的姓名、手机号、企业、类别、岗位按名单更新。',
    '有问题的行不会导入，导入结果会列出每个问题所在的行号、列名和原因；改正后可再次导入整个文件。',
  ]) {
    notes.addRow({ header: line });
  }

  const categoryColumn = sheet.getColumn('category').letter;
  const list = `'${ROSTER_NOTES_SHEET_NAME}'!$A$${firstCategoryRow}:$A$${lastCategoryRow}`;
  for (let r = 2; r <= Math.max(PREPARED_ROWS, rows.length) + 1; r++) {
    sheet.getCell(`${categoryColumn}${r}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [list],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: '人员类别',
      error: '请从下拉列表中选择本项目的人员类别',
    };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
