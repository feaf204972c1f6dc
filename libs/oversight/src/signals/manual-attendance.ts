import type { AttendanceFact } from '../facts/facts';
import { clamp01, Signal } from './signal';
import { attendanceSubject } from './subjects';

/**
 * Attendance entered by hand instead of at the kiosk (attendance signed for absent trainees).
 * Facts: the attendance record's manual entries (who, when, why). Both times entered by hand
 * weigh more than one.
 */
export function manualAttendanceSignals(attendance: readonly AttendanceFact[]): Signal[] {
  return attendance
    .filter((a) => a.manual.length > 0)
    .map((a) => ({
      code: 'manual-attendance' as const,
      subject: attendanceSubject(a),
      strength: clamp01(a.manual.length / 2),
      detail: `考勤人工登记 ${a.manual.length} 次：${a.manual.map((m) => m.reason).join('；')}`,
      facts: [{ kind: 'offline-attendance' as const, id: a.attendanceId, note: a.manual.map((m) => `由 ${m.by} 登记`).join('；') }, { kind: 'offline-session' as const, id: a.classSessionId }],
    }));
}
