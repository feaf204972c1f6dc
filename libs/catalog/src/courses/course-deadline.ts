import type { Program } from '../programs/program.entity';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD that names a real day (2025-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Why a course's completion deadline does not fit its program, or undefined when it does: a
 * deadline after the program has ended (or before it starts) could never be met inside it.
 */
export function courseDeadlineProblem(deadline: string, program: Pick<Program, 'startDate' | 'endDate'>): string | undefined {
  if (!isCalendarDate(deadline)) return '截止日期不是有效日期';
  // ISO dates compare as strings.
  if (deadline > program.endDate) return `截止日期不能晚于项目结束日期（${program.endDate}）`;
  if (deadline < program.startDate) return `截止日期不能早于项目开始日期（${program.startDate}）`;
  return undefined;
}
