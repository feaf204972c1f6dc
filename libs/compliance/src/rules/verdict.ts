import type { CategoryRules, RuleSetBody, ShareRequirement } from './rule-set';

export const VERDICT_STATUSES = ['complete', 'in_progress', 'non_compliant'] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

export const VERDICT_STATUS_NAMES: Record<VerdictStatus, string> = { complete: '已达标', in_progress: '培训中', non_compliant: '不达标' };

/**
 * - unmet: not done yet; the trainee can still do it before the deadline (then it is non-compliance).
 * - violation: non-compliant now, whatever the date (an exam failed with no retake left).
 * - warning: shown and recorded, does not stop completion (hours beyond the maximum, a justified share).
 */
export type ReasonSeverity = 'unmet' | 'violation' | 'warning';

export const REASON_CODES = [
  'CATEGORY_NOT_IN_RULE_SET',
  'HOURS_SHORT',
  'HOURS_OVER_MAX',
  'OFFLINE_SHARE_LOW',
  'OFFLINE_SHARE_LOW_JUSTIFIED',
  'PRACTICAL_SHARE_LOW',
  'PRACTICAL_SHARE_LOW_JUSTIFIED',
  'REQUIRED_COURSE_UNFINISHED',
  'ELECTIVE_HOURS_SHORT',
  'EXAM_NOT_TAKEN',
  'EXAM_FAILED_RETAKE_LEFT',
  'EXAM_FAILED',
  'PAST_DEADLINE',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface VerdictReason {
  readonly code: ReasonCode;
  readonly severity: ReasonSeverity;
  /** zh-CN, for the trainee and staff: what is wrong and what is left to do. */
  readonly message: string;
  readonly source?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface CourseProgress {
  readonly courseId: string;
  readonly title: string;
  readonly requirement: 'required' | 'elective';
  readonly completed: boolean;
  readonly seconds: number;
}

export interface ExamAttempt {
  readonly score: number;
  readonly at: Date;
}

export interface VerdictInput {
  readonly ruleSet: { readonly version: number; readonly body: RuleSetBody };
  readonly category: string;
  /** Ledger totals per mode, in seconds, compensations included. */
  readonly seconds: { readonly online: number; readonly offline: number; readonly practical: number };
  readonly courses: readonly CourseProgress[];
  readonly exams: readonly ExamAttempt[];
  /** Recorded justifications for 原则上 shares that are not met (seen by auditors). */
  readonly justifications?: { readonly offlineShare?: string; readonly practicalShare?: string };
  readonly now: Date;
}

export interface VerdictHours {
  readonly online: number;
  readonly offline: number;
  readonly practical: number;
  readonly total: number;
  /** Seconds that count (and are paid): the total capped at the category's maximum. */
  readonly creditable: number;
}

export interface Verdict {
  readonly status: VerdictStatus;
  readonly reasons: readonly VerdictReason[];
  readonly ruleSetVersion: number;
  readonly seconds: VerdictHours;
  /** The best exam score and whether an attempt passed. */
  readonly exam: { readonly attempts: number; readonly best?: number; readonly passed: boolean };
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The first instant after a YYYY-MM-DD deadline (inclusive) in China time. */
export function deadlineEnd(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 24 * 3600_000 - CHINA_OFFSET_MS);
}

/** 学时 as shown, rounded down to one decimal, so a verdict never reports more than was earned. */
export const hoursOf = (seconds: number, minutesPerHour: number) => Math.floor((Math.max(0, seconds) * 10) / (minutesPerHour * 60)) / 10;

const PERMYRIAD = 10_000;

/** part / whole ≥ min, in integers: exactly 60 % must pass, floating point must not decide it. */
export function shareMet(part: number, whole: number, min: number): boolean {
  if (whole <= 0) return min <= 0;
  return Math.max(0, part) * PERMYRIAD >= Math.round(min * PERMYRIAD) * whole;
}

const percent = (min: number) => `${Math.round(min * 1000) / 10}%`;

function shareReason(
  kind: 'offline' | 'practical',
  part: number,
  total: number,
  rule: ShareRequirement | undefined,
  justification: string | undefined,
): VerdictReason | undefined {
  if (!rule || total <= 0 || shareMet(part, total, rule.min)) return undefined;
  const label = kind === 'offline' ? '线下培训' : '实训（实际操作）';
  const actual = Math.floor((Math.max(0, part) * 1000) / total) / 10;
  const details = { share: actual / 100, min: rule.min, strictness: rule.strictness };
  const justified = rule.strictness === 'principle' && justification?.trim();
  if (justified) {
    return {
      code: kind === 'offline' ? 'OFFLINE_SHARE_LOW_JUSTIFIED' : 'PRACTICAL_SHARE_LOW_JUSTIFIED',
      severity: 'warning',
      message: `${label}学时占比 ${actual}%，低于原则上要求的 ${percent(rule.min)}；已记录理由：${justified}`,
      source: rule.source,
      details: { ...details, justification: justified },
    };
  }
  return {
    code: kind === 'offline' ? 'OFFLINE_SHARE_LOW' : 'PRACTICAL_SHARE_LOW',
    severity: 'unmet',
    message:
      rule.strictness === 'principle'
        ? `${label}学时占比 ${actual}%，低于原则上要求的 ${percent(rule.min)}：须补足${label}学时，或由培训机构记录书面理由`
        : `${label}学时占比 ${actual}%，低于要求的 ${percent(rule.min)}：须补足${label}学时`,
    source: rule.source,
    details,
  };
}

function examReasons(input: VerdictInput): { reasons: VerdictReason[]; exam: Verdict['exam'] } {
  const rules = input.ruleSet.body.exam;
  const attempts = [...input.exams].sort((a, b) => a.at.getTime() - b.at.getTime());
  const passedAt = attempts.findIndex((a) => a.score >= rules.passMark);
  const best = attempts.length ? Math.max(...attempts.map((a) => a.score)) : undefined;
  // Attempts after a pass do not undo it; attempts beyond the allowance count as nothing.
  const allowed = 1 + rules.retakesAllowed;
  const passed = passedAt >= 0 && passedAt < allowed;
  const exam = { attempts: attempts.length, best, passed };
  if (!rules.required || passed) return { reasons: [], exam };
  if (attempts.length === 0) {
    return { reasons: [{ code: 'EXAM_NOT_TAKEN', severity: 'unmet', message: '尚未参加结业考试（闭卷）', source: rules.source }], exam };
  }
  const used = Math.min(attempts.length, allowed);
  if (used < allowed) {
    return {
      reasons: [{
        code: 'EXAM_FAILED_RETAKE_LEFT',
        severity: 'unmet',
        message: `结业考试未通过（最高 ${best} 分，合格线 ${rules.passMark} 分），还可补考 ${allowed - used} 次`,
        source: rules.source,
        details: { best, passMark: rules.passMark, retakesLeft: allowed - used },
      }],
      exam,
    };
  }
  return {
    reasons: [{
      code: 'EXAM_FAILED',
      severity: 'violation',
      message: rules.retakesAllowed > 0 ? `结业考试及补考均未通过（最高 ${best} 分，合格线 ${rules.passMark} 分），补考机会已用完` : `结业考试未通过（${best} 分，合格线 ${rules.passMark} 分），不设补考`,
      source: rules.source,
      details: { best, passMark: rules.passMark },
    }],
    exam,
  };
}

function hourReasons(rules: CategoryRules, mph: number, total: number): VerdictReason[] {
  const min = rules.minHours * mph * 60;
  const max = rules.maxHours * mph * 60;
  if (total < min) {
    return [{
      code: 'HOURS_SHORT',
      severity: 'unmet',
      message: `总学时 ${hoursOf(total, mph)}，低于最低要求 ${rules.minHours} 学时：还差 ${Math.ceil(((min - total) * 10) / (mph * 60)) / 10} 学时`,
      source: rules.source,
      details: { seconds: total, minSeconds: min },
    }];
  }
  if (total > max) {
    return [{
      code: 'HOURS_OVER_MAX',
      severity: 'warning',
      message: `总学时 ${hoursOf(total, mph)}，超过最高 ${rules.maxHours} 学时：超出部分不计入、不予支付`,
      source: rules.source,
      details: { seconds: total, maxSeconds: max },
    }];
  }
  return [];
}

/**
 * A trainee's verdict: a pure function of the rule-set version, the ledger totals, course
 * completion, exam attempts and the date, with every reason it is not complete. The same inputs
 * always give the same verdict, so a stored one is reproducible from the versions it names.
 */
export function judge(input: VerdictInput): Verdict {
  const body = input.ruleSet.body;
  const mph = body.minutesPerHour;
  const { online, offline, practical } = input.seconds;
  const total = online + offline + practical;
  const rules = body.categories.find((c) => c.code === input.category);
  const reasons: VerdictReason[] = [];
  const maxSeconds = rules ? rules.maxHours * mph * 60 : total;
  const seconds: VerdictHours = { online, offline, practical, total, creditable: Math.max(0, Math.min(total, maxSeconds)) };

  if (!rules) {
    reasons.push({
      code: 'CATEGORY_NOT_IN_RULE_SET',
      severity: 'violation',
      message: `人员类别“${input.category}”不属于该培训项目的规则集`,
      details: { category: input.category },
    });
  } else {
    reasons.push(...hourReasons(rules, mph, total));
    const offlineReason = shareReason('offline', offline + practical, total, rules.offlineShare, input.justifications?.offlineShare);
    if (offlineReason) reasons.push(offlineReason);
    const practicalReason = shareReason('practical', practical, total, rules.practicalShare, input.justifications?.practicalShare);
    if (practicalReason) reasons.push(practicalReason);
    if (rules.electiveMinHours > 0) {
      const electiveSeconds = input.courses.filter((c) => c.requirement === 'elective').reduce((s, c) => s + c.seconds, 0);
      if (electiveSeconds < rules.electiveMinHours * mph * 60) {
        reasons.push({
          code: 'ELECTIVE_HOURS_SHORT',
          severity: 'unmet',
          message: `选修课学时 ${hoursOf(electiveSeconds, mph)}，低于设定的 ${rules.electiveMinHours} 学时`,
          source: rules.source,
          details: { seconds: electiveSeconds, minSeconds: rules.electiveMinHours * mph * 60 },
        });
      }
    }
  }
  if (body.requiredCoursesMustFinish) {
    for (const c of input.courses.filter((x) => x.requirement === 'required' && !x.completed)) {
      reasons.push({ code: 'REQUIRED_COURSE_UNFINISHED', severity: 'unmet', message: `必修课《${c.title}》尚未学完`, details: { courseId: c.courseId } });
    }
  }
  const exam = examReasons(input);
  reasons.push(...exam.reasons);

  const unmet = reasons.some((r) => r.severity === 'unmet');
  const pastDeadline = unmet && input.now.getTime() >= deadlineEnd(body.completionDeadline.date).getTime();
  if (pastDeadline) {
    reasons.push({
      code: 'PAST_DEADLINE',
      severity: 'violation',
      message: `已过完成期限（${body.completionDeadline.date}，${body.completionDeadline.description}），仍有未完成的要求`,
      source: body.completionDeadline.source,
      details: { deadline: body.completionDeadline.date },
    });
  }
  const status: VerdictStatus = reasons.some((r) => r.severity === 'violation') ? 'non_compliant' : unmet ? 'in_progress' : 'complete';
  return { status, reasons, ruleSetVersion: input.ruleSet.version, seconds, exam: exam.exam };
}
