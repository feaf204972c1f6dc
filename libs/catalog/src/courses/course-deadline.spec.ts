import { courseDeadlineProblem, isCalendarDate } from './course-deadline';

const program = { startDate: '2025-01-01', endDate: '2025-12-31' };

describe('a course deadline inside its program', () => {
  it('accepts any real day from the program start to its end, both included', () => {
    for (const d of ['2025-01-01', '2025-06-30', '2025-12-31']) expect(courseDeadlineProblem(d, program)).toBeUndefined();
  });

  it('refuses a day after the program has ended, naming the end', () => {
    expect(courseDeadlineProblem('2026-01-01', program)).toBe('截止日期不能晚于项目结束日期（2025-12-31）');
  });

  it('refuses a day before the program starts, naming the start', () => {
    expect(courseDeadlineProblem('2024-12-31', program)).toBe('截止日期不能早于项目开始日期（2025-01-01）');
  });

  it('refuses a day the calendar does not have', () => {
    expect(courseDeadlineProblem('2025-02-29', program)).toBe('截止日期不是有效日期');
    expect(courseDeadlineProblem('2025-04-31', program)).toBe('截止日期不是有效日期');
  });
});

describe('isCalendarDate', () => {
  it('knows leap years and month lengths', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
  });
});
