import type { CourseAudience } from '../courses/course.entity';
import { audienceProblems, coursesForAudience, electiveTargetFor, minutesToHours, requirementFor } from './audience';

const teamLeaderMining = { industry: '矿山', category: 'team_leader' };
const course = (audiences: CourseAudience[], deadline?: string) => ({ audiences, deadline });

describe('requirementFor', () => {
  it('is undefined for a course outside the audience', () => {
    expect(requirementFor(course([{ industry: '矿山', category: 'safety_manager', requirement: 'required' }]), teamLeaderMining)).toBeUndefined();
    expect(requirementFor(course([{ industry: '冶金', category: 'team_leader', requirement: 'required' }]), teamLeaderMining)).toBeUndefined();
    expect(requirementFor(course([]), teamLeaderMining)).toBeUndefined();
  });
  it('reads the exact entry', () => {
    expect(requirementFor(course([{ industry: '矿山', category: 'team_leader', requirement: 'elective' }]), teamLeaderMining)).toBe('elective');
    expect(requirementFor(course([{ industry: '矿山', category: 'team_leader', requirement: 'required' }]), teamLeaderMining)).toBe('required');
  });
  it('lets wildcards match, with required winning over a broader elective', () => {
    const c = course([
      { industry: '*', category: '*', requirement: 'elective' },
      { industry: '矿山', category: 'team_leader', requirement: 'required' },
    ]);
    expect(requirementFor(c, teamLeaderMining)).toBe('required');
    expect(requirementFor(c, { industry: '冶金', category: 'deputy_head' })).toBe('elective');
    expect(requirementFor(course([{ industry: '*', category: 'team_leader', requirement: 'required' }]), teamLeaderMining)).toBe('required');
  });
});

describe('coursesForAudience', () => {
  it('splits required and elective, drops others, and applies course or program deadlines', () => {
    const a = course([{ industry: '矿山', category: 'team_leader', requirement: 'required' }], '2025-03-31');
    const b = course([{ industry: '矿山', category: '*', requirement: 'elective' }]);
    const c = course([{ industry: '冶金', category: 'team_leader', requirement: 'required' }]);
    const r = coursesForAudience([a, b, c], teamLeaderMining, { completionDeadline: '2025-04-30' });
    expect(r.required).toEqual([{ course: a, requirement: 'required', deadline: '2025-03-31' }]);
    expect(r.elective).toEqual([{ course: b, requirement: 'elective', deadline: '2025-04-30' }]);
  });
  it('leaves the deadline undefined when neither sets one', () => {
    const b = course([{ industry: '*', category: '*', requirement: 'elective' }]);
    expect(coursesForAudience([b], teamLeaderMining, {}).elective[0].deadline).toBeUndefined();
  });
});

describe('electiveTargetFor', () => {
  const program = {
    electiveTargets: [
      { industry: '*', category: '*', minHours: 2 },
      { industry: '*', category: 'team_leader', minHours: 4 },
      { industry: '矿山', category: '*', minHours: 3 },
      { industry: '矿山', category: 'team_leader', minHours: 6 },
    ],
  };
  it('takes the most specific target', () => {
    expect(electiveTargetFor(program, teamLeaderMining)).toBe(6);
    expect(electiveTargetFor(program, { industry: '矿山', category: 'deputy_head' })).toBe(3);
    expect(electiveTargetFor(program, { industry: '冶金', category: 'team_leader' })).toBe(4);
    expect(electiveTargetFor(program, { industry: '冶金', category: 'deputy_head' })).toBe(2);
  });
  it('is 0 without targets', () => {
    expect(electiveTargetFor({ electiveTargets: [] }, teamLeaderMining)).toBe(0);
    expect(electiveTargetFor({}, teamLeaderMining)).toBe(0);
  });
});

describe('audienceProblems', () => {
  const program = { industries: ['矿山', '机械制造'], categories: [{ code: 'team_leader', name: '班组长' }] };
  it('accepts the program’s own industries, categories and wildcards', () => {
    expect(audienceProblems(program, [
      { industry: '矿山', category: 'team_leader', requirement: 'required' },
      { industry: '*', category: '*', requirement: 'elective' },
    ])).toEqual([]);
  });
  it('names unknown industries, categories and duplicates by index', () => {
    expect(audienceProblems(program, [
      { industry: '冶金', category: 'team_leader', requirement: 'required' },
      { industry: '矿山', category: 'chef', requirement: 'required' },
      { industry: '矿山', category: 'team_leader', requirement: 'required' },
      { industry: '矿山', category: 'team_leader', requirement: 'elective' },
    ])).toEqual([
      { index: 0, reason: '行业“冶金”不属于该培训项目' },
      { index: 1, reason: '人员类别“chef”不属于该培训项目' },
      { index: 3, reason: '适用对象重复' },
    ]);
  });
});

it('minutesToHours uses the program’s minutes per 学时', () => {
  expect(minutesToHours(90, 45)).toBe(2);
  expect(minutesToHours(100, 45)).toBe(2.2);
  expect(minutesToHours(60, 60)).toBe(1);
});
