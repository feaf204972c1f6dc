/**
 * A training campaign (培训项目/工程) with its rules as data: rule sets differ per program and
 * jurisdiction, so nothing here is a code branch (DOMAIN.md "Hours").
 */

/** 原则上/一般 rules warn and need a recorded justification; 严禁 rules block. */
export type RuleStrictness = 'principle' | 'strict';

export interface PersonnelCategory {
  code: string;
  name: string;
}

export interface HoursRule {
  category: string;
  minHours: number;
  maxHours: number;
}

export interface ShareRule {
  /** Which categories the share applies to. */
  categories: string[];
  minShare: number;
  strictness: RuleStrictness;
  source: string;
}

export interface ClassSizeRule {
  category: string;
  max: number;
  strictness: RuleStrictness;
  source: string;
}

export interface ExamRule {
  /** separate: 培考分离 (the department sets and invigilates); institution: the implementing institution; joint: departments jointly. */
  organiser: 'separate' | 'institution' | 'joint';
  retakesAllowed: number;
  minCoverage?: number;
  minPassRate?: number;
  source: string;
}

export interface RuleSet {
  hours: HoursRule[];
  offlineShare: ShareRule;
  practicalShare: ShareRule;
  classSizes: ClassSizeRule[];
  exam: ExamRule;
}

export interface Deadline {
  /** ISO date (YYYY-MM-DD). */
  date: string;
  description: string;
  /** The document's 文号 and paragraph, e.g. `鲁人社函〔2023〕94号 §四` (users read it; see seed/programs.data.ts). */
  source: string;
}

export interface Target {
  description: string;
  count: number;
  /** Personnel category code, when the target is per category. */
  category?: string;
  /** People (人) or hours; Zibo counts people by mode, not hours. */
  unit: 'people' | 'enterprises';
  mode?: 'online' | 'offline';
  by?: string;
  source: string;
}

/** Minimum elective hours (学时) per audience (Zibo: 选修时间不低于设定学时); `*` matches any. */
export interface ElectiveTarget {
  industry: string;
  category: string;
  minHours: number;
}

export interface Program {
  id: string;
  code: string;
  name: string;
  jurisdiction: { regionCode: string; name: string };
  industries: string[];
  categories: PersonnelCategory[];
  minutesPerHour: number;
  startDate: string;
  endDate: string;
  rules: RuleSet;
  deadlines: Deadline[];
  targets: Target[];
  notes: string[];
  /** YYYY-MM-DD by which online courses must be completed, unless a course sets its own. */
  completionDeadline?: string;
  electiveTargets: ElectiveTarget[];
}

export type NewProgram = Omit<Program, 'id'>;
