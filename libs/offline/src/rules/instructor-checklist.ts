/** 001_… §三(五), cited by its 文号 as users know it and by the seed file. */
export const QUALIFICATION_SOURCE = '鲁人社函〔2023〕94号 §三(五)（001_0f59b514324dcfca.txt）';

export type InstructorRole = 'teacher' | 'manager';
export type Employment = 'full_time' | 'part_time';
/** 职称或技能等级: only "senior" (高级及以上) counts towards the senior-teacher rule. */
export type TitleLevel = 'senior' | 'intermediate' | 'junior' | 'none';

/** The facts about one person the checklist is computed from. */
export interface InstructorFacts {
  readonly role: InstructorRole;
  readonly employment: Employment;
  /** Teaches work safety or occupational health (安全生产或职业健康培训老师). */
  readonly safetyTeacher: boolean;
  readonly titleLevel: TitleLevel;
  /** Holds a safety major of the relevant industry (相关行业安全专业). */
  readonly safetyMajor: boolean;
  readonly yearsOfPractice: number;
  readonly active: boolean;
}

export type ChecklistRule = 'managers' | 'teachers' | 'safety-teacher' | 'senior-teachers';

export interface ChecklistItem {
  readonly rule: ChecklistRule;
  readonly label: string;
  readonly required: number;
  readonly actual: number;
  readonly met: boolean;
  /** Why it is met or not, in words an institution acts on. */
  readonly explanation: string;
  readonly source: string;
}

/** Senior title or skill grade AND (a safety major OR ≥ 5 years' practice): item 4 of §三(五). */
export function countsAsSenior(f: InstructorFacts): boolean {
  return f.role === 'teacher' && f.titleLevel === 'senior' && (f.safetyMajor || f.yearsOfPractice >= 5);
}

/**
 * The staffing part of the basic conditions (§三(五) items 2 and 4) computed from the institution's
 * registered instructors: ≥ 2 full-time training managers, ≥ 3 full-time teachers of whom ≥ 1
 * teaches safety or occupational health, ≥ 2 senior teachers with a safety major or ≥ 5 years'
 * practice. Inactive entries (people who left) do not count.
 */
export function instructorChecklist(people: readonly InstructorFacts[]): ChecklistItem[] {
  const active = people.filter((p) => p.active);
  const fullTime = (role: InstructorRole) => active.filter((p) => p.role === role && p.employment === 'full_time');
  const managers = fullTime('manager').length;
  const teachers = fullTime('teacher');
  const safety = teachers.filter((p) => p.safetyTeacher).length;
  const senior = active.filter(countsAsSenior).length;
  const item = (rule: ChecklistRule, label: string, required: number, actual: number, unit: string): ChecklistItem => ({
    rule,
    label,
    required,
    actual,
    met: actual >= required,
    explanation: actual >= required ? `已满足：现有 ${actual} ${unit}（要求不少于 ${required} ${unit}）` : `未满足：现有 ${actual} ${unit}，还差 ${required - actual} ${unit}（要求不少于 ${required} ${unit}）`,
    source: QUALIFICATION_SOURCE,
  });
  return [
    item('managers', '专职培训管理人员不少于2名', 2, managers, '名'),
    item('teachers', '专职培训老师不少于3名', 3, teachers.length, '名'),
    item('safety-teacher', '专职培训老师中至少1名安全生产或职业健康老师', 1, safety, '名'),
    item('senior-teachers', '具有高级以上职称（技能等级）且具备相关行业安全专业或5年以上实践经验的师资不少于2名', 2, senior, '名'),
  ];
}
