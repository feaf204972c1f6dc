import * as ExcelJS from 'exceljs';
import { auditActionName } from './action-names';
import type { AuditActor, AuditRecord } from './record';

export const AUDIT_XLSX_SHEET = '审计日志';

export const actorLabel = (a: AuditActor) => (a.kind === 'system' ? `系统：${a.reason}` : a.id);

/** Beijing time, as the platform's users read every time; the zone is in the header. */
const BEIJING = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
export const beijingTime = (d: Date) => BEIJING.format(d);

const json = (v: object | undefined) => (v === undefined ? '' : JSON.stringify(v));

const COLUMNS: readonly { header: string; key: string; width: number; value: (r: AuditRecord) => string | number }[] = [
  { header: '时间（北京时间）', key: 'at', width: 22, value: (r) => beijingTime(r.at) },
  { header: '操作', key: 'actionName', width: 22, value: (r) => auditActionName(r.action) },
  { header: '操作代码', key: 'action', width: 28, value: (r) => r.action },
  { header: '操作人', key: 'actor', width: 28, value: (r) => actorLabel(r.actor) },
  { header: '角色', key: 'role', width: 12, value: (r) => (r.actor.kind === 'user' ? r.actor.role : 'system') },
  { header: '对象类型', key: 'targetType', width: 16, value: (r) => r.target.type },
  { header: '对象', key: 'targetId', width: 26, value: (r) => r.target.id },
  { header: '所属机构', key: 'institutionId', width: 26, value: (r) => r.tenant.institutionId ?? '' },
  { header: '所属区划', key: 'regionCode', width: 10, value: (r) => r.tenant.regionCode ?? '' },
  { header: '修改前', key: 'before', width: 40, value: (r) => json(r.before) },
  { header: '修改后', key: 'after', width: 40, value: (r) => json(r.after) },
  { header: '原因', key: 'reason', width: 30, value: (r) => r.reason ?? '' },
  { header: '请求号', key: 'requestId', width: 38, value: (r) => r.requestId ?? '' },
  { header: '客户端地址', key: 'ip', width: 16, value: (r) => r.ip ?? '' },
  { header: '链', key: 'partition', width: 10, value: (r) => r.partition },
  { header: '序号', key: 'seq', width: 10, value: (r) => r.seq },
  { header: '记录哈希', key: 'hash', width: 66, value: (r) => r.hash },
];

/** The records as one sheet (one row each, newest first as given), with the columns an auditor files. */
export async function auditWorkbook(rows: AsyncIterable<AuditRecord>): Promise<{ content: Buffer; count: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '工伤预防培训平台';
  const ws = wb.addWorksheet(AUDIT_XLSX_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map(({ header, key, width }) => ({ header, key, width }));
  ws.getRow(1).font = { bold: true };
  let count = 0;
  for await (const r of rows) {
    ws.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, c.value(r)])));
    count++;
  }
  return { content: Buffer.from(await wb.xlsx.writeBuffer()), count };
}
