import type { ClassSizeRule } from '@app/catalog';
import { compositionProblem, mayMoveTo, sizeDecision, CLASS_STATUSES } from './class-composition';

const categories = [
  { code: 'deputy_head', name: '安全生产与职业健康分管负责人' },
  { code: 'team_leader', name: '班组长（含车间主任、车队长）' },
];
const cls = { category: 'team_leader', industry: '矿山' };

describe('compositionProblem (严禁“大合堂”)', () => {
  it('accepts a trainee of the class category and industry', () => {
    expect(compositionProblem(cls, { category: 'team_leader', industry: '矿山' }, categories)).toBeUndefined();
  });

  it('refuses another personnel category, naming both categories in zh-CN', () => {
    const p = compositionProblem(cls, { category: 'deputy_head', industry: '矿山' }, categories);
    expect(p).toMatchObject({ rule: 'category' });
    expect(p!.message).toContain('班组长（含车间主任、车队长）');
    expect(p!.message).toContain('安全生产与职业健康分管负责人');
    expect(p!.message).toContain('大合堂');
    expect(p!.source).toContain('001_0f59b514324dcfca.txt');
  });

  it('refuses another enterprise type, and an enterprise without an industry', () => {
    expect(compositionProblem(cls, { category: 'team_leader', industry: '冶金' }, categories)).toMatchObject({ rule: 'industry' });
    expect(compositionProblem(cls, { category: 'team_leader' }, categories)!.message).toContain('未登记行业');
  });

  it('checks the category before the industry (the stricter reason first)', () => {
    expect(compositionProblem(cls, { category: 'deputy_head', industry: '冶金' }, categories)!.rule).toBe('category');
  });

  it('names an unknown category by its code', () => {
    expect(compositionProblem(cls, { category: 'x_cat', industry: '矿山' }, categories)!.message).toContain('x_cat');
  });
});

describe('sizeDecision (40 “原则上”, 80 “一般”, strict rules block)', () => {
  const rules: ClassSizeRule[] = [
    { category: 'deputy_head', max: 40, strictness: 'principle', source: 'S1' },
    { category: 'team_leader', max: 80, strictness: 'principle', source: 'S2' },
    { category: 'strict_cat', max: 30, strictness: 'strict', source: 'S3' },
  ];

  it('is within the cap up to and including it', () => {
    expect(sizeDecision(rules, 'deputy_head', 40, undefined)).toEqual({ kind: 'within', cap: 40 });
    expect(sizeDecision(rules, 'team_leader', 1, undefined)).toEqual({ kind: 'within', cap: 80 });
  });

  it('needs a written justification one over a principle cap', () => {
    expect(sizeDecision(rules, 'deputy_head', 41, undefined)).toEqual({ kind: 'justification-required', cap: 40, source: 'S1' });
    expect(sizeDecision(rules, 'team_leader', 81, '   ')).toEqual({ kind: 'justification-required', cap: 80, source: 'S2' });
  });

  it('is flagged, not refused, over a principle cap with a justification', () => {
    expect(sizeDecision(rules, 'team_leader', 81, '矿区偏远，集中一期培训')).toEqual({ kind: 'flagged', cap: 80, source: 'S2' });
  });

  it('blocks over a strict cap whatever the justification', () => {
    expect(sizeDecision(rules, 'strict_cat', 31, '理由')).toEqual({ kind: 'blocked', cap: 30, source: 'S3' });
    expect(sizeDecision(rules, 'strict_cat', 30, undefined)).toEqual({ kind: 'within', cap: 30 });
  });

  it('has no cap for a category the rule set does not size', () => {
    expect(sizeDecision(rules, 'project_lead', 500, undefined)).toEqual({ kind: 'within' });
  });
});

describe('class status', () => {
  it('moves forward one step only', () => {
    const allowed: string[] = [];
    for (const a of CLASS_STATUSES) for (const b of CLASS_STATUSES) if (mayMoveTo(a, b)) allowed.push(`${a}>${b}`);
    expect(allowed).toEqual(['draft>published', 'published>in_progress', 'in_progress>finished']);
  });
});
