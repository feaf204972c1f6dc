import { countsAsSenior, InstructorFacts, instructorChecklist } from './instructor-checklist';

const teacher = (o: Partial<InstructorFacts> = {}): InstructorFacts => ({
  role: 'teacher', employment: 'full_time', safetyTeacher: false, titleLevel: 'intermediate', safetyMajor: false, yearsOfPractice: 1, active: true, ...o,
});
const manager = (o: Partial<InstructorFacts> = {}) => teacher({ role: 'manager', ...o });
const byRule = (people: InstructorFacts[]) => Object.fromEntries(instructorChecklist(people).map((i) => [i.rule, i]));

describe('instructorChecklist (001_… §三(五))', () => {
  it('is all unmet for an institution with nobody registered, saying how many are missing', () => {
    const items = instructorChecklist([]);
    expect(items.map((i) => [i.rule, i.met, i.actual, i.required])).toEqual([
      ['managers', false, 0, 2],
      ['teachers', false, 0, 3],
      ['safety-teacher', false, 0, 1],
      ['senior-teachers', false, 0, 2],
    ]);
    expect(items[0].explanation).toContain('还差 2 名');
    expect(items.every((i) => i.source.includes('001_0f59b514324dcfca.txt'))).toBe(true);
  });

  it('is all met by a complete staff', () => {
    const people = [
      manager(), manager(),
      teacher({ safetyTeacher: true, titleLevel: 'senior', safetyMajor: true }),
      teacher({ titleLevel: 'senior', yearsOfPractice: 5 }),
      teacher(),
    ];
    expect(instructorChecklist(people).every((i) => i.met)).toBe(true);
    expect(byRule(people).teachers.explanation).toContain('已满足');
  });

  it('does not count part-time people towards the full-time rules, nor inactive ones anywhere', () => {
    const r = byRule([manager(), manager({ employment: 'part_time' }), teacher(), teacher(), teacher({ active: false, safetyTeacher: true })]);
    expect(r.managers).toMatchObject({ actual: 1, met: false });
    expect(r.teachers).toMatchObject({ actual: 2, met: false });
    expect(r['safety-teacher']).toMatchObject({ actual: 0, met: false });
  });

  it('counts a part-time safety teacher for nothing: the rule asks for a full-time one', () => {
    expect(byRule([teacher({ employment: 'part_time', safetyTeacher: true })])['safety-teacher'].met).toBe(false);
  });

  it('counts part-time senior teachers towards the senior rule (师资力量, not 专职)', () => {
    expect(byRule([teacher({ employment: 'part_time', titleLevel: 'senior', safetyMajor: true }), teacher({ titleLevel: 'senior', yearsOfPractice: 8 })])['senior-teachers'].met).toBe(true);
  });
});

describe('countsAsSenior', () => {
  it('needs a senior title AND (a safety major OR ≥ 5 years)', () => {
    expect(countsAsSenior(teacher({ titleLevel: 'senior', safetyMajor: true }))).toBe(true);
    expect(countsAsSenior(teacher({ titleLevel: 'senior', yearsOfPractice: 5 }))).toBe(true);
    expect(countsAsSenior(teacher({ titleLevel: 'senior', yearsOfPractice: 4 }))).toBe(false);
    expect(countsAsSenior(teacher({ titleLevel: 'intermediate', safetyMajor: true, yearsOfPractice: 20 }))).toBe(false);
    expect(countsAsSenior(manager({ titleLevel: 'senior', safetyMajor: true }))).toBe(false);
  });
});
