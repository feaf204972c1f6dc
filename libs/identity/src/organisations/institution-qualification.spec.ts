import { INSTITUTION_SYSTEMS, InstitutionQualification, qualificationShortfalls } from './institution-qualification';

const qualified: InstitutionQualification = {
  yearsOfExperience: 2,
  fullTimeManagers: 2,
  fullTimeTeachers: 3,
  safetyTeachers: 1,
  seniorTeachers: 2,
  systems: [...INSTITUTION_SYSTEMS],
  digitalCourses: true,
};

describe('institution basic conditions (Shandong §三(五))', () => {
  it('finds nothing missing at exactly the thresholds', () => {
    expect(qualificationShortfalls(qualified)).toEqual([]);
  });

  it.each<[Partial<InstitutionQualification>, string, string]>([
    [{ yearsOfExperience: 1 }, 'experience', '1'],
    [{ fullTimeManagers: 1 }, 'managers', '2'],
    [{ fullTimeTeachers: 2 }, 'teachers', '2'],
    [{ safetyTeachers: 0 }, 'safety-teacher', '2'],
    [{ seniorTeachers: 1 }, 'senior-teachers', '4'],
    [{ digitalCourses: false }, 'digital-courses', '5'],
  ])('reports %o as %s with its source item', (change, rule, item) => {
    const found = qualificationShortfalls({ ...qualified, ...change });
    expect(found.map((f) => f.rule)).toEqual([rule]);
    expect(found[0].source).toBe(`鲁人社函〔2023〕94号 §三(五)${item}`);
  });

  it('names every missing management system in zh-CN', () => {
    const found = qualificationShortfalls({ ...qualified, systems: ['planning', 'management', 'assessment', 'logistics', 'process-control'] });
    expect(found).toHaveLength(1);
    expect(found[0].message).toBe('培训管理制度不健全，缺少：培训需求调研、档案管理');
  });

  it('does not count more safety teachers than there are teachers', () => {
    expect(qualificationShortfalls({ ...qualified, fullTimeTeachers: 3, safetyTeachers: 4 }).map((f) => f.rule)).toEqual(['safety-teacher']);
  });

  it('reports every shortfall of an empty institution', () => {
    const empty = { yearsOfExperience: 0, fullTimeManagers: 0, fullTimeTeachers: 0, safetyTeachers: 0, seniorTeachers: 0, systems: [], digitalCourses: false };
    expect(qualificationShortfalls(empty)).toHaveLength(7);
  });
});
