/**
 * Basic conditions for training institutions, Shandong plan (001_0f59b514324dcfca.txt §三(五)).
 * The text says institutions "一般应当" meet them: a shortfall does not block registration but
 * must be justified in writing, and auditors see both (DOMAIN.md: "generally" rules warn).
 */
export const INSTITUTION_SYSTEMS = [
  'needs-research',
  'planning',
  'management',
  'archives',
  'process-control',
  'assessment',
  'logistics',
] as const;
export type InstitutionSystem = (typeof INSTITUTION_SYSTEMS)[number];

export const INSTITUTION_SYSTEM_NAMES: Record<InstitutionSystem, string> = {
  'needs-research': '培训需求调研',
  planning: '培训策划',
  management: '培训管理',
  archives: '档案管理',
  'process-control': '过程控制',
  assessment: '考核评价',
  logistics: '后勤保障',
};

export interface InstitutionQualification {
  /** Years of work-injury-prevention or safety training. */
  yearsOfExperience: number;
  fullTimeManagers: number;
  fullTimeTeachers: number;
  /** Full-time teachers of work safety or occupational health (among the above). */
  safetyTeachers: number;
  /** Teachers with a senior title or skill grade AND a safety major or ≥ 5 years of practice. */
  seniorTeachers: number;
  /** Management systems in place. */
  systems: InstitutionSystem[];
  /** Digital courses matching the general outline, and offline training as needed. */
  digitalCourses: boolean;
}

export type QualificationRule = 'experience' | 'managers' | 'teachers' | 'safety-teacher' | 'systems' | 'senior-teachers' | 'digital-courses';

export interface QualificationShortfall {
  rule: QualificationRule;
  message: string;
  source: string;
}

/** Shandong's plan (001_0f59b514324dcfca.txt), cited by its 文号 as users know it. */
const SOURCE = '鲁人社函〔2023〕94号 §三(五)';

export function qualificationShortfalls(q: InstitutionQualification): QualificationShortfall[] {
  const out: QualificationShortfall[] = [];
  const add = (rule: QualificationRule, ok: boolean, message: string, item: number) => {
    if (!ok) out.push({ rule, message, source: `${SOURCE}${item}` });
  };
  add('experience', q.yearsOfExperience >= 2, `从事工伤预防或安全培训不足2年（现为 ${q.yearsOfExperience} 年）`, 1);
  add('managers', q.fullTimeManagers >= 2, `专职培训管理人员不足2名（现为 ${q.fullTimeManagers} 名）`, 2);
  add('teachers', q.fullTimeTeachers >= 3, `专职培训老师不足3名（现为 ${q.fullTimeTeachers} 名）`, 2);
  add('safety-teacher', q.safetyTeachers >= 1 && q.safetyTeachers <= q.fullTimeTeachers, '缺少安全生产或职业健康专职培训老师', 2);
  const missing = INSTITUTION_SYSTEMS.filter((s) => !q.systems.includes(s));
  add('systems', missing.length === 0, `培训管理制度不健全，缺少：${missing.map((s) => INSTITUTION_SYSTEM_NAMES[s]).join('、')}`, 3);
  add('senior-teachers', q.seniorTeachers >= 2, `具有高级以上职称（技能等级）且具备安全专业或5年以上实践经验的师资不足2名（现为 ${q.seniorTeachers} 名）`, 4);
  add('digital-courses', q.digitalCourses, '不能提供符合通用培训大纲要求的数字培训课程', 5);
  return out;
}
