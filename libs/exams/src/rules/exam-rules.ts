import type { ExamOrganiser, ExamRules, ReasonCode, VerdictReason } from '@app/compliance';
import type { Role } from '@app/identity';

/**
 * Closed-book exams (结业实行闭卷考试) on paper, recorded on the platform. Who organises them is the
 * rule set's `exam.organiser`: 培考分离 in Yichun (the city emergency bureau or its delegate sets a
 * paper per class and invigilates, never the institution; one retake: 002_4d3c394a33d4593d.txt §四(五)),
 * the institution in Shandong (001_0f59b514324dcfca.txt §五(二)), the departments jointly in Jilin
 * (003_009be0719f87871d.txt §二(四)).
 */

export type ExamAction = 'organise' | 'read';

const ORGANISERS: Record<ExamOrganiser, readonly Role[]> = {
  separate: ['examiner', 'admin'],
  institution: ['institution', 'admin'],
  joint: ['examiner', 'auditor', 'admin'],
};

/**
 * Whether a role may schedule, invigilate and record (organise) or see (read) a class's exam.
 * Auditors oversee every exam of their region; under 培考分离 the institution neither organises nor sees it.
 * Tenancy (whose class, which region) is the scoped read's business, not this rule's.
 */
export function mayActOnExam(organiser: ExamOrganiser, role: Role, action: ExamAction): boolean {
  if (ORGANISERS[organiser].includes(role)) return true;
  return action === 'read' && role === 'auditor';
}

/** Verdict reasons that the exam itself settles: they never keep a trainee from sitting it. */
const SETTLED_BY_THE_EXAM: readonly ReasonCode[] = ['EXAM_NOT_TAKEN', 'EXAM_FAILED_RETAKE_LEFT', 'PAST_DEADLINE'];

/**
 * The exam ends the training, so the hours come first: everything else the verdict requires (hours,
 * shares, required courses, electives) must be met before a trainee may sit it. Warnings never block.
 */
export function examBlockers(reasons: readonly VerdictReason[]): VerdictReason[] {
  return reasons.filter((r) => r.severity !== 'warning' && !SETTLED_BY_THE_EXAM.includes(r.code));
}

export const SITTING_KINDS = ['first', 'retake'] as const;
export type SittingKind = (typeof SITTING_KINDS)[number];
export const SITTING_KIND_NAMES: Record<SittingKind, string> = { first: '结业考试', retake: '补考' };

export type Standing =
  | { readonly kind: 'first' }
  | { readonly kind: 'retake'; readonly attempt: number }
  | { readonly kind: 'passed'; readonly best: number }
  | { readonly kind: 'retakes_used'; readonly attempts: number };

/** Where a trainee stands from their earlier scores (in order): a first attempt, a retake, passed, or out of retakes. */
export function standingOf(priorScores: readonly number[], rules: Pick<ExamRules, 'passMark' | 'retakesAllowed'>): Standing {
  const allowed = 1 + rules.retakesAllowed;
  // Attempts beyond the allowance count as nothing, as the verdict counts them.
  const counted = priorScores.slice(0, allowed);
  if (counted.some((s) => passes(s, rules.passMark))) return { kind: 'passed', best: Math.max(...counted) };
  if (counted.length === 0) return { kind: 'first' };
  if (counted.length < allowed) return { kind: 'retake', attempt: counted.length + 1 };
  return { kind: 'retakes_used', attempts: counted.length };
}

export const passes = (score: number, passMark: number) => score >= passMark;

export type CandidateRefusal = 'NOT_ELIGIBLE_HOURS' | 'ALREADY_PASSED' | 'RETAKES_USED' | 'NEEDS_FIRST_SITTING' | 'NOT_A_RETAKE' | 'ALREADY_SCHEDULED';

export interface CandidateDecision {
  readonly admit: boolean;
  readonly attempt?: number;
  readonly refusal?: CandidateRefusal;
  readonly message?: string;
}

/** Whether one roster member sits a sitting of `kind`, and as which attempt. */
export function candidateDecision(
  kind: SittingKind,
  standing: Standing,
  blockers: readonly VerdictReason[],
  alreadyScheduled: boolean,
  rules: Pick<ExamRules, 'retakesAllowed'>,
): CandidateDecision {
  if (alreadyScheduled) return { admit: false, refusal: 'ALREADY_SCHEDULED', message: '已安排在另一场尚未登记成绩的考试中' };
  if (standing.kind === 'passed') return { admit: false, refusal: 'ALREADY_PASSED', message: `已通过结业考试（${standing.best} 分）` };
  if (standing.kind === 'retakes_used') {
    return { admit: false, refusal: 'RETAKES_USED', message: rules.retakesAllowed > 0 ? `已考 ${standing.attempts} 次，补考机会已用完` : '本项目不设补考' };
  }
  if (kind === 'retake' && standing.kind === 'first') return { admit: false, refusal: 'NEEDS_FIRST_SITTING', message: '尚未参加结业考试，不能参加补考' };
  if (kind === 'first' && standing.kind === 'retake') return { admit: false, refusal: 'NOT_A_RETAKE', message: '已参加过结业考试且未通过，请安排补考' };
  if (blockers.length) return { admit: false, refusal: 'NOT_ELIGIBLE_HOURS', message: `考前须完成培训要求：${blockers.map((b) => b.message).join('；')}` };
  return { admit: true, attempt: standing.kind === 'retake' ? standing.attempt : 1 };
}

export interface ResultRow {
  readonly traineeId: string;
  readonly score?: number;
  readonly absent?: boolean;
}

export interface ResultProblem {
  readonly traineeId: string;
  readonly message: string;
}

/** A paper score: 0–100 in steps of 0.5 (half marks are common on paper, finer ones are typing errors). */
export const scoreValid = (s: unknown): s is number => typeof s === 'number' && Number.isFinite(s) && s >= 0 && s <= 100 && Number.isInteger(s * 2);

/** Every problem of a results sheet against the sitting's candidates: one row per candidate, a score or 缺考. */
export function resultProblems(candidates: readonly string[], rows: readonly ResultRow[]): ResultProblem[] {
  const out: ResultProblem[] = [];
  const expected = new Set(candidates);
  const seen = new Set<string>();
  for (const r of rows) {
    if (!expected.has(r.traineeId)) out.push({ traineeId: r.traineeId, message: '不是本场考试的考生' });
    else if (seen.has(r.traineeId)) out.push({ traineeId: r.traineeId, message: '重复登记' });
    else if (r.absent === true && r.score !== undefined) out.push({ traineeId: r.traineeId, message: '缺考的考生不能有成绩' });
    else if (r.absent !== true && !scoreValid(r.score)) out.push({ traineeId: r.traineeId, message: '成绩须为 0–100 分（最小单位 0.5 分），缺考请标记缺考' });
    seen.add(r.traineeId);
  }
  for (const c of candidates) if (!seen.has(c)) out.push({ traineeId: c, message: '未登记成绩（缺考请标记缺考）' });
  return out;
}

/** Invigilators (监考人员) as written on the sitting's record: at least one, each named. */
export function invigilatorProblems(names: readonly unknown[]): string | undefined {
  if (names.length === 0) return '须填写至少一名监考人员';
  if (names.some((n) => typeof n !== 'string' || n.trim() === '' || n.length > 50)) return '监考人员姓名不能为空，且不超过 50 个字符';
  if (new Set(names.map((n) => String(n).trim())).size !== names.length) return '监考人员重复';
  return undefined;
}

/** A sitting's time: it ends after it starts and lasts at most a day (a paper exam is hours, not days). */
export function sittingSpanProblem(startsAt: Date, endsAt: Date): string | undefined {
  if (!(endsAt.getTime() > startsAt.getTime())) return '考试结束时间须晚于开始时间';
  if (endsAt.getTime() - startsAt.getTime() > 24 * 3600_000) return '一场考试不能超过 24 小时';
  return undefined;
}
