import type { ElectiveTarget, Program } from '../programs/program.entity';
import type { Audience, Course, CourseAudience, Requirement } from '../courses/course.entity';

export const ANY = '*';

const matches = (pattern: string, value: string) => pattern === ANY || pattern === value;

/**
 * Whether and how a course applies to an audience. When several entries match (a wildcard and
 * an exact one), "required" wins: an administrator who marks a course required for someone
 * never has that silently weakened by a broader elective entry.
 */
export function requirementFor(course: Pick<Course, 'audiences'>, who: Audience): Requirement | undefined {
  let found: Requirement | undefined;
  for (const a of course.audiences) {
    if (!matches(a.industry, who.industry) || !matches(a.category, who.category)) continue;
    if (a.requirement === 'required') return 'required';
    found = 'elective';
  }
  return found;
}

export interface AudienceCourse<C> {
  course: C;
  requirement: Requirement;
  /** The course's own deadline, else the program's completion deadline. */
  deadline?: string;
}

/** Exactly the courses of one audience, required first, each with its effective deadline. */
export function coursesForAudience<C extends Pick<Course, 'audiences' | 'deadline'>>(
  courses: readonly C[],
  who: Audience,
  program: Pick<Program, 'completionDeadline'>,
): { required: AudienceCourse<C>[]; elective: AudienceCourse<C>[] } {
  const required: AudienceCourse<C>[] = [];
  const elective: AudienceCourse<C>[] = [];
  for (const course of courses) {
    const requirement = requirementFor(course, who);
    if (!requirement) continue;
    const entry = { course, requirement, deadline: course.deadline ?? program.completionDeadline };
    (requirement === 'required' ? required : elective).push(entry);
  }
  return { required, elective };
}

/** The most specific elective minimum-hours target that applies (exact beats wildcard); 0 when none. */
export function electiveTargetFor(program: { electiveTargets?: readonly ElectiveTarget[] }, who: Audience): number {
  let best: { score: number; minHours: number } | undefined;
  for (const t of program.electiveTargets ?? []) {
    if (!matches(t.industry, who.industry) || !matches(t.category, who.category)) continue;
    const score = (t.industry === ANY ? 0 : 2) + (t.category === ANY ? 0 : 1);
    if (!best || score > best.score) best = { score, minHours: t.minHours };
  }
  return best?.minHours ?? 0;
}

export interface AudienceProblem {
  index: number;
  reason: string;
}

/** Audience entries must name the program's own industries and categories, once each. */
export function audienceProblems(program: Pick<Program, 'industries' | 'categories'>, audiences: readonly CourseAudience[]): AudienceProblem[] {
  const problems: AudienceProblem[] = [];
  const seen = new Set<string>();
  const categories = new Set(program.categories.map((c) => c.code));
  audiences.forEach((a, index) => {
    if (a.industry !== ANY && !program.industries.includes(a.industry)) problems.push({ index, reason: `行业“${a.industry}”不属于该培训项目` });
    if (a.category !== ANY && !categories.has(a.category)) problems.push({ index, reason: `人员类别“${a.category}”不属于该培训项目` });
    const key = `${a.industry}\u0000${a.category}`;
    if (seen.has(key)) problems.push({ index, reason: '适用对象重复' });
    seen.add(key);
  });
  return problems;
}

/** Minutes → 学时 with the program's minutes per hour, to one decimal (for display and targets). */
export function minutesToHours(minutes: number, minutesPerHour: number): number {
  return Math.round((minutes / minutesPerHour) * 10) / 10;
}
