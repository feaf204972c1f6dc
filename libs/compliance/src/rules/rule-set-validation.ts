import { CategoryRules, EXAM_ORGANISERS, RuleDeadline, RuleSetBody, ShareRequirement } from './rule-set';

export interface RuleSetProblem {
  readonly field: string;
  readonly message: string;
}

const isDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const nonEmpty = (s: unknown): s is string => typeof s === 'string' && s.trim() !== '';
const isInt = (n: unknown, lo: number, hi: number): n is number => Number.isSafeInteger(n) && (n as number) >= lo && (n as number) <= hi;
const isShare = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A share left out (undefined or null) is no requirement. */
function shareProblems(field: string, s: ShareRequirement | null | undefined, out: RuleSetProblem[]): void {
  if (s === undefined || s === null) return;
  if (!isRecord(s)) {
    out.push({ field, message: '比例要求须包含比例、严格程度与依据' });
    return;
  }
  if (!isShare(s.min)) out.push({ field: `${field}.min`, message: '比例须在 0 到 1 之间（如 0.6 表示 60%）' });
  if (s.strictness !== 'principle' && s.strictness !== 'strict') out.push({ field: `${field}.strictness`, message: '严格程度只能是“原则上”（principle）或“严禁/必须”（strict）' });
  if (!nonEmpty(s.source)) out.push({ field: `${field}.source`, message: '须注明依据（文件与条款）' });
}

/**
 * Every problem of a rule set an administrator wrote, each naming its field; empty when it can be
 * saved. The body comes from an HTTP request, so any JSON value is answered with problems, never a throw.
 */
export function ruleSetProblems(input: RuleSetBody | unknown): RuleSetProblem[] {
  const out: RuleSetProblem[] = [];
  if (!isRecord(input)) return [{ field: '', message: '规则集须为对象' }];
  const body = input as unknown as RuleSetBody;
  if (!isInt(body.minutesPerHour, 1, 120)) out.push({ field: 'minutesPerHour', message: '每学时分钟数须为 1–120 的整数' });
  if (!Array.isArray(body.categories) || body.categories.length === 0) out.push({ field: 'categories', message: '至少须有一个人员类别' });
  const seen = new Set<string>();
  (Array.isArray(body.categories) ? body.categories : []).forEach((raw: unknown, i) => {
    const f = `categories[${i}]`;
    if (!isRecord(raw)) {
      out.push({ field: f, message: '人员类别须为对象' });
      return;
    }
    const c = raw as unknown as CategoryRules;
    if (!nonEmpty(c.code) || !/^[a-z][a-z0-9_]{0,39}$/.test(c.code)) out.push({ field: `${f}.code`, message: '类别代码须为小写字母开头的字母、数字或下划线' });
    else if (seen.has(c.code)) out.push({ field: `${f}.code`, message: `人员类别“${c.code}”重复` });
    seen.add(c.code);
    if (!nonEmpty(c.name)) out.push({ field: `${f}.name`, message: '须填写类别名称' });
    if (!isInt(c.minHours, 0, 1000)) out.push({ field: `${f}.minHours`, message: '最低学时须为非负整数' });
    if (!isInt(c.maxHours, 1, 1000)) out.push({ field: `${f}.maxHours`, message: '最高学时须为正整数' });
    else if (isInt(c.minHours, 0, 1000) && c.maxHours < c.minHours) out.push({ field: `${f}.maxHours`, message: '最高学时不能低于最低学时' });
    if (!isInt(c.electiveMinHours, 0, 1000)) out.push({ field: `${f}.electiveMinHours`, message: '选修最低学时须为非负整数' });
    else if (isInt(c.maxHours, 1, 1000) && c.electiveMinHours > c.maxHours) out.push({ field: `${f}.electiveMinHours`, message: '选修最低学时不能超过最高学时' });
    shareProblems(`${f}.offlineShare`, c.offlineShare, out);
    shareProblems(`${f}.practicalShare`, c.practicalShare, out);
    if (!nonEmpty(c.source)) out.push({ field: `${f}.source`, message: '须注明依据（文件与条款）' });
  });
  const e = body.exam;
  if (!isRecord(e)) out.push({ field: 'exam', message: '须设置考试规则' });
  else {
    if (typeof e.required !== 'boolean') out.push({ field: 'exam.required', message: '须说明是否要求结业考试' });
    if (!(EXAM_ORGANISERS as readonly string[]).includes(e.organiser)) out.push({ field: 'exam.organiser', message: '组考方式只能是培考分离（separate）、施教机构（institution）或联合组织（joint）' });
    if (!isInt(e.retakesAllowed, 0, 5)) out.push({ field: 'exam.retakesAllowed', message: '补考次数须为 0–5 的整数' });
    if (!isInt(e.passMark, 1, 100)) out.push({ field: 'exam.passMark', message: '合格分数线须为 1–100 的整数' });
    if (e.minCoverage !== undefined && !isShare(e.minCoverage)) out.push({ field: 'exam.minCoverage', message: '参考率须在 0 到 1 之间' });
    if (e.minPassRate !== undefined && !isShare(e.minPassRate)) out.push({ field: 'exam.minPassRate', message: '合格率须在 0 到 1 之间' });
    if (!nonEmpty(e.source)) out.push({ field: 'exam.source', message: '须注明依据（文件与条款）' });
  }
  if (!Array.isArray(body.deadlines)) out.push({ field: 'deadlines', message: '其他期限须为列表（可为空）' });
  const deadlines = Array.isArray(body.deadlines) ? body.deadlines : [];
  for (const [field, d] of [['completionDeadline', body.completionDeadline] as const, ...deadlines.map((d, i) => [`deadlines[${i}]`, d] as const)]) {
    if (!isRecord(d)) {
      out.push({ field, message: '期限须包含日期、说明与依据' });
      continue;
    }
    if (!isDate(d.date)) out.push({ field: `${field}.date`, message: '日期须为 YYYY-MM-DD' });
    if (!nonEmpty(d.description)) out.push({ field: `${field}.description`, message: '须填写期限说明' });
    if (!nonEmpty(d.source)) out.push({ field: `${field}.source`, message: '须注明依据（文件与条款）' });
  }
  if (typeof body.requiredCoursesMustFinish !== 'boolean') out.push({ field: 'requiredCoursesMustFinish', message: '须说明是否要求完成必修课' });
  if (!isRecord(body.retrainingCredit) || !nonEmpty(body.retrainingCredit.description) || !nonEmpty(body.retrainingCredit.source)) {
    out.push({ field: 'retrainingCredit', message: '须填写可减免的再培训学时说明及依据' });
  }
  return out;
}

const pickShare = (s: ShareRequirement | undefined): ShareRequirement | undefined => (s ? { min: s.min, strictness: s.strictness, source: s.source } : undefined);
const pickDeadline = (d: RuleDeadline): RuleDeadline => ({ date: d.date, description: d.description, source: d.source });

/**
 * The rule set's own fields of a body that passed {@link ruleSetProblems}, in a fixed order: fields
 * a client added are not stored, and two saves of the same rules hash alike.
 */
export function pickRuleSetBody(b: RuleSetBody): RuleSetBody {
  const e = b.exam;
  return {
    minutesPerHour: b.minutesPerHour,
    categories: b.categories.map((c) => ({
      code: c.code,
      name: c.name,
      minHours: c.minHours,
      maxHours: c.maxHours,
      ...(c.offlineShare ? { offlineShare: pickShare(c.offlineShare) } : {}),
      ...(c.practicalShare ? { practicalShare: pickShare(c.practicalShare) } : {}),
      electiveMinHours: c.electiveMinHours,
      source: c.source,
    })),
    requiredCoursesMustFinish: b.requiredCoursesMustFinish,
    exam: {
      required: e.required,
      organiser: e.organiser,
      retakesAllowed: e.retakesAllowed,
      passMark: e.passMark,
      ...(e.minCoverage !== undefined ? { minCoverage: e.minCoverage } : {}),
      ...(e.minPassRate !== undefined ? { minPassRate: e.minPassRate } : {}),
      source: e.source,
    },
    completionDeadline: pickDeadline(b.completionDeadline),
    deadlines: b.deadlines.map(pickDeadline),
    retrainingCredit: { description: b.retrainingCredit.description, source: b.retrainingCredit.source },
  };
}
