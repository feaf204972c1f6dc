import type { NewProgram } from '@app/catalog';
import type { CategoryRules, RuleSetBody } from './rule-set';

/**
 * No document sets a pass mark; 60 of 100 is the usual line of China's work-safety exams and is
 * an administrator's setting in every preset (the editor changes it, with a new version).
 */
export const DEFAULT_PASS_MARK = 60;

/** What the hours reduce (and where it is said), per program code; the national text otherwise. */
const RETRAINING: Record<string, { description: string; source: string }> = {
  'SD-2023-6IND': { description: '减免相应的安全生产、职业健康再培训或继续教育学时', source: '鲁人社函〔2023〕94号 §五(二)' },
  'YC-2025-MINING': { description: '培训学时计入相应的安全生产、职业健康再培训或继续教育学时', source: '伊应急函〔2025〕41号 §四(五)' },
};
const RETRAINING_NATIONAL = { description: '减免相应的安全生产、职业健康再培训或继续教育学时', source: '人社厅函〔2023〕102号 §三(三)' };

/** 结业实行闭卷考试: said by the national notice and Shandong; the others run their exams under it. */
const EXAM_REQUIRED_SOURCE = '人社厅函〔2023〕102号 §三(三)';

/**
 * The rule set of one of the five documents' programs, built from the catalog's program data
 * (which cites each number): the first version the seed stores. Zibo's four categories and
 * Jilin's three without 车队长 come from the program's own category list.
 */
export function presetFor(program: NewProgram): RuleSetBody {
  const r = program.rules;
  const categories: CategoryRules[] = program.categories.map((c) => {
    const hours = r.hours.find((h) => h.category === c.code);
    if (!hours) throw new Error(`program ${program.code}: no hours rule for ${c.code}`);
    const elective = program.electiveTargets.filter((t) => t.category === c.code || t.category === '*');
    return {
      code: c.code,
      name: c.name,
      minHours: hours.minHours,
      maxHours: hours.maxHours,
      offlineShare: r.offlineShare.categories.includes(c.code) ? { min: r.offlineShare.minShare, strictness: r.offlineShare.strictness, source: r.offlineShare.source } : undefined,
      practicalShare: r.practicalShare.categories.includes(c.code) ? { min: r.practicalShare.minShare, strictness: r.practicalShare.strictness, source: r.practicalShare.source } : undefined,
      electiveMinHours: elective.length ? Math.min(...elective.map((t) => t.minHours)) : 0,
      source: r.offlineShare.source,
    };
  });
  const completion = program.completionDeadline ?? program.endDate;
  const completionSource = program.deadlines.find((d) => d.date === completion) ?? program.deadlines[0];
  return {
    minutesPerHour: program.minutesPerHour,
    categories,
    requiredCoursesMustFinish: true,
    exam: {
      required: true,
      organiser: r.exam.organiser,
      retakesAllowed: r.exam.retakesAllowed,
      passMark: DEFAULT_PASS_MARK,
      minCoverage: r.exam.minCoverage,
      minPassRate: r.exam.minPassRate,
      source: r.exam.source === EXAM_REQUIRED_SOURCE ? r.exam.source : `${r.exam.source}；${EXAM_REQUIRED_SOURCE}`,
    },
    completionDeadline: {
      date: completion,
      description: completionSource?.description ?? '培训项目结束',
      source: completionSource?.source ?? program.name,
    },
    deadlines: program.deadlines.map((d) => ({ date: d.date, description: d.description, source: d.source })),
    retrainingCredit: RETRAINING[program.code] ?? RETRAINING_NATIONAL,
  };
}
