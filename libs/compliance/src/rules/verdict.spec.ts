import { PROGRAMS } from '@app/catalog';
import { presetFor } from './presets';
import type { RuleSetBody } from './rule-set';
import { pickRuleSetBody, ruleSetProblems } from './rule-set-validation';
import { deadlineEnd, judge, shareMet, VerdictInput } from './verdict';

const preset = (code: string): RuleSetBody => presetFor(PROGRAMS.find((p) => p.code === code)!);
const H = 45 * 60;
const BEFORE = new Date('2024-06-01T00:00:00+08:00');

/** A trainee who meets everything at exactly the minimum: total = min, offline share exactly the minimum, practical exactly the minimum. */
function exactly(body: RuleSetBody, category: string, over: Partial<VerdictInput> = {}): VerdictInput {
  const rules = body.categories.find((c) => c.code === category)!;
  const total = rules.minHours * body.minutesPerHour * 60;
  const practical = rules.practicalShare ? (total * rules.practicalShare.min) : 0;
  const offlineAll = rules.offlineShare ? total * rules.offlineShare.min : 0;
  const offline = Math.max(0, offlineAll - practical);
  return {
    ruleSet: { version: 1, body },
    category,
    seconds: { online: total - offline - practical, offline, practical },
    courses: [{ courseId: 'c1', title: '工伤保险条例', requirement: 'required', completed: true, seconds: 3600 }],
    exams: [{ score: body.exam.passMark, at: new Date('2024-05-01T10:00:00+08:00') }],
    now: BEFORE,
    ...over,
  };
}

const codes = (input: VerdictInput) => judge(input).reasons.map((r) => r.code);

const CASES: Array<[program: string, category: string, min: number, max: number, practical: boolean]> = [
  ['CN-2023-4IND', 'deputy_head', 12, 48, false],
  ['CN-2023-4IND', 'safety_manager', 12, 48, false],
  ['CN-2023-4IND', 'team_leader', 20, 72, true],
  ['SD-2023-6IND', 'deputy_head', 12, 48, false],
  ['SD-2023-6IND', 'safety_manager', 12, 48, false],
  ['SD-2023-6IND', 'team_leader', 20, 72, true],
  ['YC-2025-MINING', 'deputy_head', 12, 48, false],
  ['YC-2025-MINING', 'safety_manager', 12, 48, false],
  ['YC-2025-MINING', 'team_leader', 20, 72, true],
  ['JL-2022-HAZCHEM', 'deputy_head', 24, 48, false],
  ['JL-2022-HAZCHEM', 'safety_manager', 24, 48, false],
  ['JL-2022-HAZCHEM', 'team_leader', 24, 72, true],
  ['ZB-2024', 'deputy_head', 12, 48, false],
  ['ZB-2024', 'safety_dept_head', 12, 48, false],
  ['ZB-2024', 'project_lead', 12, 48, false],
  ['ZB-2024', 'team_leader', 20, 72, true],
];

describe('presets (the five documents)', () => {
  it.each(PROGRAMS.map((p) => p.code))('%s is a valid rule set', (code) => {
    expect(ruleSetProblems(preset(code))).toEqual([]);
  });

  it('categories differ per program: Jilin has no 车队长, Zibo adds 安全管理部门负责人 and 项目负责人', () => {
    expect(preset('JL-2022-HAZCHEM').categories.find((c) => c.code === 'team_leader')!.name).not.toContain('车队长');
    expect(preset('ZB-2024').categories.map((c) => c.code)).toEqual(['deputy_head', 'safety_dept_head', 'team_leader', 'project_lead']);
  });

  it('exam organisers: 培考分离 in Yichun, the institution in Shandong, jointly in Jilin with 100 % / 95 %', () => {
    expect(preset('YC-2025-MINING').exam).toMatchObject({ organiser: 'separate', retakesAllowed: 1 });
    expect(preset('YC-2025-MINING').exam.source).toContain('§四(五)');
    expect(preset('SD-2023-6IND').exam).toMatchObject({ organiser: 'institution' });
    expect(preset('JL-2022-HAZCHEM').exam).toMatchObject({ organiser: 'joint', minCoverage: 1, minPassRate: 0.95 });
  });

  it('deadlines carry their source paragraph', () => {
    expect(preset('YC-2025-MINING').completionDeadline).toMatchObject({ date: '2025-04-30', source: '伊应急函〔2025〕41号 §三(二)' });
    expect(preset('SD-2023-6IND').completionDeadline).toMatchObject({ date: '2025-10-31', source: '鲁人社函〔2023〕94号 §四' });
  });
});

describe.each(CASES)('%s %s (%i–%i 学时)', (program, category, min, max, practical) => {
  const body = preset(program);
  const now = new Date(deadlineEnd(body.completionDeadline.date).getTime() - 86_400_000);

  it('exactly the minimum, exactly 60 % offline (and exactly 1/4 practical), passed: complete', () => {
    const input = exactly(body, category, { now });
    expect(input.seconds.online + input.seconds.offline + input.seconds.practical).toBe(min * H);
    const v = judge(input);
    expect(v.reasons).toEqual([]);
    expect(v.status).toBe('complete');
    expect(v.ruleSetVersion).toBe(1);
  });

  it('one second short of the minimum: in progress, HOURS_SHORT', () => {
    const input = exactly(body, category, { now });
    const v = judge({ ...input, seconds: { ...input.seconds, online: input.seconds.online - 1 } });
    expect(v.status).toBe('in_progress');
    expect(v.reasons.map((r) => r.code)).toContain('HOURS_SHORT');
  });

  it('one second of offline moved online: offline share below 60 %, unmet without a justification, a warning with one', () => {
    const input = exactly(body, category, { now });
    const moved = { ...input.seconds, online: input.seconds.online + 1, offline: input.seconds.offline - 1 };
    const low = judge({ ...input, seconds: moved });
    expect(low.status).toBe('in_progress');
    expect(low.reasons.find((r) => r.code === 'OFFLINE_SHARE_LOW')).toMatchObject({ severity: 'unmet', source: expect.stringMatching(/§/) });
    const justified = judge({ ...input, seconds: moved, justifications: { offlineShare: '矿区疫情封闭，部分课程改为线上' } });
    expect(justified.status).toBe('complete');
    expect(justified.reasons.map((r) => [r.code, r.severity])).toEqual([['OFFLINE_SHARE_LOW_JUSTIFIED', 'warning']]);
  });

  if (practical) {
    it('one second of practical moved to theory: below 1/4 practical, and a justification does not help (strict)', () => {
      const input = exactly(body, category, { now });
      const moved = { ...input.seconds, offline: input.seconds.offline + 1, practical: input.seconds.practical - 1 };
      const v = judge({ ...input, seconds: moved, justifications: { practicalShare: '理由' } });
      expect(v.status).toBe('in_progress');
      expect(codes({ ...input, seconds: moved })).toEqual(['PRACTICAL_SHARE_LOW']);
      expect(v.reasons.map((r) => r.code)).toEqual(['PRACTICAL_SHARE_LOW']);
    });
  } else {
    it('no practical share is asked of this category', () => {
      const input = exactly(body, category, { now });
      expect(input.seconds.practical).toBe(0);
      expect(judge(input).status).toBe('complete');
    });
  }

  it('exactly the maximum is fine; one second over warns that the rest is not paid, and creditable is capped', () => {
    const input = exactly(body, category, { now });
    const atMax = { ...input.seconds, practical: input.seconds.practical + (max - min) * H };
    expect(judge({ ...input, seconds: atMax }).reasons).toEqual([]);
    const over = judge({ ...input, seconds: { ...atMax, practical: atMax.practical + 1 } });
    expect(over.status).toBe('complete');
    expect(over.reasons.map((r) => [r.code, r.severity])).toEqual([['HOURS_OVER_MAX', 'warning']]);
    expect(over.seconds.creditable).toBe(max * H);
  });

  it('a required course unfinished is unmet; an unfinished elective is not', () => {
    const input = exactly(body, category, { now });
    const courses = [...input.courses, { courseId: 'c2', title: '生命重于泰山', requirement: 'required' as const, completed: false, seconds: 0 }, { courseId: 'c3', title: '选修', requirement: 'elective' as const, completed: false, seconds: 0 }];
    const v = judge({ ...input, courses });
    expect(v.status).toBe('in_progress');
    expect(v.reasons.map((r) => r.code)).toEqual(['REQUIRED_COURSE_UNFINISHED']);
    expect(v.reasons[0].message).toContain('生命重于泰山');
  });

  it('exam: not taken; one below the pass mark with a retake left; failed retake is non-compliant; a passed retake is complete', () => {
    const input = exactly(body, category, { now });
    const pm = body.exam.passMark;
    const at = (d: number) => new Date(Date.UTC(2024, 4, d));
    expect(codes({ ...input, exams: [] })).toEqual(['EXAM_NOT_TAKEN']);
    expect(judge({ ...input, exams: [{ score: pm - 1, at: at(1) }] })).toMatchObject({ status: 'in_progress', reasons: [{ code: 'EXAM_FAILED_RETAKE_LEFT' }] });
    expect(judge({ ...input, exams: [{ score: pm - 1, at: at(1) }, { score: pm - 1, at: at(2) }] })).toMatchObject({ status: 'non_compliant', reasons: [{ code: 'EXAM_FAILED', severity: 'violation' }] });
    expect(judge({ ...input, exams: [{ score: pm - 1, at: at(1) }, { score: pm, at: at(2) }] })).toMatchObject({ status: 'complete', exam: { attempts: 2, best: pm, passed: true } });
  });

  it('past the completion deadline: one second before its end still in progress, at its end non-compliant', () => {
    const end = deadlineEnd(body.completionDeadline.date);
    const input = exactly(body, category, { exams: [] });
    expect(judge({ ...input, now: new Date(end.getTime() - 1000) }).status).toBe('in_progress');
    const late = judge({ ...input, now: end });
    expect(late.status).toBe('non_compliant');
    expect(late.reasons.find((r) => r.code === 'PAST_DEADLINE')!.source).toBe(body.completionDeadline.source);
    // Nothing left to do: the deadline does not matter.
    expect(judge({ ...exactly(body, category), now: new Date(end.getTime() + 86_400_000) }).status).toBe('complete');
  });
});

describe('judge, across programs', () => {
  it('a category the rule set does not know is non-compliant (Jilin has no 安全管理部门负责人)', () => {
    const v = judge({ ...exactly(preset('ZB-2024'), 'safety_dept_head'), ruleSet: { version: 3, body: preset('JL-2022-HAZCHEM') } });
    expect(v).toMatchObject({ status: 'non_compliant', ruleSetVersion: 3, reasons: expect.arrayContaining([expect.objectContaining({ code: 'CATEGORY_NOT_IN_RULE_SET' })]) });
  });

  it('minutes per 学时 is a setting: at 50 the 45-minute minimum is short', () => {
    const body = preset('CN-2023-4IND');
    const input = exactly(body, 'deputy_head');
    expect(codes({ ...input, ruleSet: { version: 2, body: { ...body, minutesPerHour: 50 } } })).toContain('HOURS_SHORT');
  });

  it('the elective minimum counts elective course seconds only', () => {
    const body = preset('ZB-2024');
    const withElective: RuleSetBody = { ...body, categories: body.categories.map((c) => ({ ...c, electiveMinHours: 2 })) };
    const input = { ...exactly(withElective, 'team_leader'), ruleSet: { version: 2, body: withElective } };
    const electives = (s: number) => [...input.courses, { courseId: 'e', title: '选修', requirement: 'elective' as const, completed: false, seconds: s }];
    expect(codes({ ...input, courses: electives(2 * H - 1) })).toEqual(['ELECTIVE_HOURS_SHORT']);
    expect(codes({ ...input, courses: electives(2 * H) })).toEqual([]);
  });

  it('attempts beyond the allowance do not count, a pass after the last allowed retake is still a fail', () => {
    const body = preset('YC-2025-MINING');
    const at = (d: number) => new Date(Date.UTC(2025, 0, d));
    const v = judge({ ...exactly(body, 'deputy_head'), exams: [{ score: 10, at: at(1) }, { score: 20, at: at(2) }, { score: 99, at: at(3) }] });
    expect(v).toMatchObject({ status: 'non_compliant', exam: { passed: false, attempts: 3 } });
  });

  it('no exam required: exam reasons disappear', () => {
    const body = preset('CN-2023-4IND');
    const noExam = { ...body, exam: { ...body.exam, required: false } };
    expect(codes({ ...exactly(noExam, 'deputy_head'), exams: [] })).toEqual([]);
  });

  it('a void that takes hours away turns complete into in progress (negative totals are clamped)', () => {
    const body = preset('SD-2023-6IND');
    const input = exactly(body, 'safety_manager');
    expect(judge({ ...input, seconds: { online: -100, offline: 0, practical: 0 } })).toMatchObject({ status: 'in_progress', seconds: { creditable: 0 } });
  });
});

describe('shareMet (integers, never floating point)', () => {
  it.each([
    [60, 100, 0.6, true],
    [59, 100, 0.6, false],
    [19440, 32400, 0.6, true],
    [19439, 32400, 0.6, false],
    [1, 4, 0.25, true],
    [6, 10, 0.6, true],
    [0, 0, 0.6, false],
    [0, 0, 0, true],
  ])('%i of %i at %d → %s', (part, whole, min, ok) => expect(shareMet(part, whole, min)).toBe(ok));
});

describe('deadlineEnd', () => {
  it('is midnight China time after the date', () => {
    expect(deadlineEnd('2025-04-30').toISOString()).toBe('2025-04-30T16:00:00.000Z');
  });
});

describe('ruleSetProblems', () => {
  it('names every bad field', () => {
    const body = preset('CN-2023-4IND');
    const bad: RuleSetBody = {
      ...body,
      minutesPerHour: 0,
      categories: [{ ...body.categories[0], maxHours: 5, minHours: 10, offlineShare: { min: 1.5, strictness: 'principle', source: '' } }, { ...body.categories[0] }],
      exam: { ...body.exam, passMark: 101, organiser: 'nobody' as never },
      completionDeadline: { date: '2025-02-30', description: 'x', source: 'y' },
    };
    expect(ruleSetProblems(bad).map((p) => p.field)).toEqual([
      'minutesPerHour',
      'categories[0].maxHours',
      'categories[0].offlineShare.min',
      'categories[0].offlineShare.source',
      'categories[1].code',
      'exam.organiser',
      'exam.passMark',
      'completionDeadline.date',
    ]);
  });

  it('answers any JSON with problems, never a throw (the body comes from a request)', () => {
    const body = preset('CN-2023-4IND');
    for (const junk of [null, 'x', 3, [], { categories: [null, 'x'], exam: [], deadlines: 'x', completionDeadline: null, retrainingCredit: 1 }]) {
      expect(ruleSetProblems(junk).length).toBeGreaterThan(0);
    }
    expect(ruleSetProblems({ ...body, categories: [{ ...body.categories[0], offlineShare: null, practicalShare: 'x' }] }).map((p) => p.field)).toEqual(['categories[0].practicalShare']);
  });

  it('keeps only the rule set\'s own fields, so a client\'s extra field is neither stored nor a change', () => {
    const body = preset('CN-2023-4IND');
    const extra = { ...body, colour: 'red', exam: { ...body.exam, note: 'x' }, categories: body.categories.map((c) => ({ ...c, offlineShare: undefined, extra: 1 })) } as unknown as RuleSetBody;
    const picked = pickRuleSetBody(extra);
    expect(JSON.stringify(picked)).not.toMatch(/colour|note|extra/);
    expect(pickRuleSetBody(body)).toEqual(JSON.parse(JSON.stringify(body)));
  });
});
