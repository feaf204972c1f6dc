/**
 * A program's compliance rules as data (DOMAIN.md "Hours", "Exams"): everything a verdict checks,
 * with the paragraph each number comes from. Rule sets are versioned — a stored verdict names the
 * version it was judged by, so a report made last month can be reproduced after the rules change.
 */

/** 原则上/一般 rules warn and need a recorded justification; 严禁 rules block (DOMAIN.md). */
export type Strictness = 'principle' | 'strict';

export interface ShareRequirement {
  /** Least share of the trainee's total hours, 0–1 (0.6 = 60 %). */
  readonly min: number;
  readonly strictness: Strictness;
  readonly source: string;
}

export interface CategoryRules {
  readonly code: string;
  readonly name: string;
  readonly minHours: number;
  /** Hours beyond it are not paid (and not counted for the fee). */
  readonly maxHours: number;
  readonly offlineShare?: ShareRequirement;
  readonly practicalShare?: ShareRequirement;
  /** Least elective 学时 (Zibo: 选修时间不低于设定学时); 0 when none is set. */
  readonly electiveMinHours: number;
  readonly source: string;
}

/** separate: 培考分离 (a department examiner sets, invigilates and marks); institution; joint (departments together). */
export const EXAM_ORGANISERS = ['separate', 'institution', 'joint'] as const;
export type ExamOrganiser = (typeof EXAM_ORGANISERS)[number];

export interface ExamRules {
  /** 结业实行闭卷考试: a closed-book exam ends the training. */
  readonly required: boolean;
  readonly organiser: ExamOrganiser;
  readonly retakesAllowed: number;
  /** Score (of 100) at or above which an attempt passes. No document sets one: a setting. */
  readonly passMark: number;
  /** Program-level targets (Jilin: coverage 100 %, pass rate ≥ 95 %), 0–1. */
  readonly minCoverage?: number;
  readonly minPassRate?: number;
  readonly source: string;
}

export interface RuleDeadline {
  /** YYYY-MM-DD, inclusive, in China time. */
  readonly date: string;
  readonly description: string;
  readonly source: string;
}

export interface RuleSetBody {
  /** Minutes per 学时: 45 by convention (no document says so), so a setting. */
  readonly minutesPerHour: number;
  readonly categories: readonly CategoryRules[];
  /** Required (必修) courses of the trainee's audience must be finished. */
  readonly requiredCoursesMustFinish: boolean;
  readonly exam: ExamRules;
  /** The date after which unmet requirements make a trainee non-compliant. */
  readonly completionDeadline: RuleDeadline;
  /** Every other deadline of the program, kept with its source (some conflict). */
  readonly deadlines: readonly RuleDeadline[];
  /** What a certificate's hours count for: 再培训 / 继续教育学时 they reduce (000_… §三(三)). */
  readonly retrainingCredit: { readonly description: string; readonly source: string };
}

export interface RuleSetVersion {
  readonly id: string;
  readonly programId: string;
  readonly programCode: string;
  readonly version: number;
  readonly body: RuleSetBody;
  readonly note: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}
