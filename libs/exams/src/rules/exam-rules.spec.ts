import { PROGRAMS } from '@app/catalog';
import { presetFor, VerdictReason } from '@app/compliance';
import { ROLES } from '@app/identity';
import { candidateDecision, examBlockers, invigilatorProblems, mayActOnExam, passes, resultProblems, scoreValid, sittingSpanProblem, standingOf } from './exam-rules';

const reason = (code: VerdictReason['code'], severity: VerdictReason['severity'] = 'unmet'): VerdictReason => ({ code, severity, message: code });
const YICHUN = { passMark: 60, retakesAllowed: 1 };
const NO_RETAKE = { passMark: 60, retakesAllowed: 0 };

describe('mayActOnExam', () => {
  it('培考分离: the department examiner organises; the institution neither organises nor reads; auditors read', () => {
    const organise = ROLES.filter((r) => mayActOnExam('separate', r, 'organise'));
    const read = ROLES.filter((r) => mayActOnExam('separate', r, 'read'));
    expect(organise).toEqual(['examiner', 'admin']);
    expect(read).toEqual(['auditor', 'examiner', 'admin']);
  });

  it('institution: the institution organises, the examiner does not; auditors read', () => {
    expect(ROLES.filter((r) => mayActOnExam('institution', r, 'organise'))).toEqual(['institution', 'admin']);
    expect(ROLES.filter((r) => mayActOnExam('institution', r, 'read'))).toEqual(['institution', 'auditor', 'admin']);
  });

  it('joint: the departments together; never the institution or a trainee', () => {
    expect(ROLES.filter((r) => mayActOnExam('joint', r, 'organise'))).toEqual(['auditor', 'examiner', 'admin']);
    expect(mayActOnExam('joint', 'institution', 'read')).toBe(false);
    for (const o of ['separate', 'institution', 'joint'] as const) expect(mayActOnExam(o, 'trainee', 'read')).toBe(false);
  });

  it('the presets name the organisers the documents give, and their roles follow', () => {
    const exam = (code: string) => presetFor(PROGRAMS.find((p) => p.code === code)!).exam;
    expect(exam('YC-2025-MINING')).toMatchObject({ organiser: 'separate', retakesAllowed: 1 });
    expect(exam('SD-2023-6IND').organiser).toBe('institution');
    expect(exam('JL-2022-HAZCHEM').organiser).toBe('joint');
    expect(mayActOnExam(exam('YC-2025-MINING').organiser, 'institution', 'organise')).toBe(false);
    expect(mayActOnExam(exam('SD-2023-6IND').organiser, 'institution', 'organise')).toBe(true);
  });
});

describe('examBlockers', () => {
  it('hours, shares and courses block; the exam reasons and the deadline do not; warnings never', () => {
    const reasons = [reason('HOURS_SHORT'), reason('OFFLINE_SHARE_LOW'), reason('HOURS_OVER_MAX', 'warning'), reason('EXAM_NOT_TAKEN'), reason('PAST_DEADLINE', 'violation'), reason('OFFLINE_SHARE_LOW_JUSTIFIED', 'warning')];
    expect(examBlockers(reasons).map((r) => r.code)).toEqual(['HOURS_SHORT', 'OFFLINE_SHARE_LOW']);
    expect(examBlockers([reason('EXAM_FAILED_RETAKE_LEFT'), reason('PAST_DEADLINE', 'violation')])).toEqual([]);
    expect(examBlockers([reason('REQUIRED_COURSE_UNFINISHED'), reason('ELECTIVE_HOURS_SHORT'), reason('EXAM_FAILED', 'violation')]).map((r) => r.code)).toEqual(['REQUIRED_COURSE_UNFINISHED', 'ELECTIVE_HOURS_SHORT', 'EXAM_FAILED']);
  });
});

describe('standingOf and passes', () => {
  it('exactly the pass mark passes, half a mark below fails', () => {
    expect(passes(60, 60)).toBe(true);
    expect(passes(59.5, 60)).toBe(false);
  });

  it('no attempt → first; one fail with a retake left → retake 2; two fails → used; a pass → passed', () => {
    expect(standingOf([], YICHUN)).toEqual({ kind: 'first' });
    expect(standingOf([59.5], YICHUN)).toEqual({ kind: 'retake', attempt: 2 });
    expect(standingOf([40, 59], YICHUN)).toEqual({ kind: 'retakes_used', attempts: 2 });
    expect(standingOf([40, 60], YICHUN)).toEqual({ kind: 'passed', best: 60 });
    expect(standingOf([80], YICHUN)).toEqual({ kind: 'passed', best: 80 });
  });

  it('no retake: one fail uses everything; attempts beyond the allowance count as nothing', () => {
    expect(standingOf([59], NO_RETAKE)).toEqual({ kind: 'retakes_used', attempts: 1 });
    expect(standingOf([59, 90], NO_RETAKE)).toEqual({ kind: 'retakes_used', attempts: 1 });
  });
});

describe('candidateDecision', () => {
  it('admits an eligible first attempt and a retake as attempt 2', () => {
    expect(candidateDecision('first', { kind: 'first' }, [], false, YICHUN)).toEqual({ admit: true, attempt: 1 });
    expect(candidateDecision('retake', { kind: 'retake', attempt: 2 }, [], false, YICHUN)).toEqual({ admit: true, attempt: 2 });
  });

  it('refuses with the reason: hours not met, passed, retakes used, wrong kind, already scheduled', () => {
    const refusal = (...args: Parameters<typeof candidateDecision>) => candidateDecision(...args).refusal;
    expect(refusal('first', { kind: 'first' }, [reason('HOURS_SHORT')], false, YICHUN)).toBe('NOT_ELIGIBLE_HOURS');
    expect(refusal('retake', { kind: 'passed', best: 70 }, [], false, YICHUN)).toBe('ALREADY_PASSED');
    expect(refusal('retake', { kind: 'retakes_used', attempts: 2 }, [], false, YICHUN)).toBe('RETAKES_USED');
    expect(refusal('retake', { kind: 'first' }, [], false, YICHUN)).toBe('NEEDS_FIRST_SITTING');
    expect(refusal('first', { kind: 'retake', attempt: 2 }, [], false, YICHUN)).toBe('NOT_A_RETAKE');
    expect(refusal('first', { kind: 'first' }, [], true, YICHUN)).toBe('ALREADY_SCHEDULED');
    expect(candidateDecision('first', { kind: 'retakes_used', attempts: 1 }, [], false, NO_RETAKE).message).toBe('本项目不设补考');
    expect(candidateDecision('first', { kind: 'first' }, [{ ...reason('HOURS_SHORT'), message: '学时不足' }], false, YICHUN).message).toContain('学时不足');
  });
});

describe('resultProblems', () => {
  it('one row per candidate: a score of 0–100 in half marks, or 缺考', () => {
    expect(resultProblems(['a', 'b', 'c'], [{ traineeId: 'a', score: 0 }, { traineeId: 'b', score: 100 }, { traineeId: 'c', absent: true }])).toEqual([]);
    expect(resultProblems(['a', 'b', 'c', 'd'], [
      { traineeId: 'a', score: 100.5 },
      { traineeId: 'b', score: 60.25 },
      { traineeId: 'c', absent: true, score: 10 },
      { traineeId: 'x', score: 70 },
      { traineeId: 'a', score: 70 },
    ]).map((p) => `${p.traineeId}:${p.message.slice(0, 4)}`)).toEqual(['a:成绩须为', 'b:成绩须为', 'c:缺考的考', 'x:不是本场', 'a:重复登记', 'd:未登记成']);
  });

  it('scores', () => {
    expect([0, 59.5, 60, 100].every(scoreValid)).toBe(true);
    expect([-0.5, 100.5, 1.25, NaN, Infinity, '60', null].some(scoreValid)).toBe(false);
  });
});

describe('invigilators and the sitting span', () => {
  it('at least one named invigilator, no blanks or repeats', () => {
    expect(invigilatorProblems(['张三'])).toBeUndefined();
    expect(invigilatorProblems([])).toMatch(/至少一名/);
    expect(invigilatorProblems(['张三', ' '])).toMatch(/不能为空/);
    expect(invigilatorProblems(['张三', '张三'])).toMatch(/重复/);
  });

  it('ends after it starts, at most 24 hours', () => {
    const t = new Date('2025-06-02T01:00:00Z');
    expect(sittingSpanProblem(t, new Date(t.getTime() + 2 * 3600_000))).toBeUndefined();
    expect(sittingSpanProblem(t, t)).toMatch(/晚于/);
    expect(sittingSpanProblem(t, new Date(t.getTime() + 24 * 3600_000))).toBeUndefined();
    expect(sittingSpanProblem(t, new Date(t.getTime() + 24 * 3600_000 + 1))).toMatch(/24 小时/);
  });
});
