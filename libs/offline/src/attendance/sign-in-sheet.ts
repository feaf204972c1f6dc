import * as ExcelJS from 'exceljs';
import type { ClassSession, OfflineClass } from '../offline.entity';
import { SESSION_KIND_NAMES } from '../rules/attendance';
import type { AttendanceRow } from './attendance.service';

export const SIGN_IN_SHEET_NAME = '签到表';

const BEIJING = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const time = (d: Date | undefined) => (d ? BEIJING.format(d) : '');

/**
 * 签到表 of one session, as the institution files it with its ledgers (002_… §四(四)): a heading
 * with the class, session and instructor, then one row per roster member — present or not — with
 * sign-in and sign-out (Beijing time), how each was taken, and the minutes counted.
 */
export async function signInSheet(cls: OfflineClass, session: ClassSession, instructorName: string, rows: readonly AttendanceRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '工伤预防培训平台';
  const ws = wb.addWorksheet(SIGN_IN_SHEET_NAME);
  ws.addRow([`${cls.name} 签到表`]).font = { bold: true, size: 14 };
  ws.addRow([`课次：${session.topic}（${SESSION_KIND_NAMES[session.kind]}）  时间：${time(session.startsAt)} – ${time(session.endsAt).slice(11)}  教室：${session.room}  授课教师：${instructorName}`]);
  ws.addRow([`地点：${cls.location}  应到 ${rows.length} 人，实到 ${rows.filter((r) => r.attendance?.signInAt).length} 人  课次状态：${session.status === 'accepted' ? '已验收' : '待验收'}`]);
  const header = ws.addRow(['序号', '姓名', '签到时间', '签退时间', '考勤方式', '计入分钟', '人工登记原因']);
  header.font = { bold: true };
  rows.forEach((r, i) => {
    const a = r.attendance;
    const how = !a ? '未到' : a.flagged ? (a.captures.length > 0 ? '人脸识别＋人工登记' : '人工登记') : '人脸识别';
    ws.addRow([i + 1, r.entry.name, time(a?.signInAt), time(a?.signOutAt), how, Math.floor(r.seconds / 60), a?.manual.map((m) => m.reason).join('；') ?? '']);
  });
  ws.columns.forEach((c, i) => (c.width = [6, 14, 18, 18, 18, 10, 40][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
