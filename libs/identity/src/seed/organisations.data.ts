import type { NewOrganisation } from '../organisations/organisation.entity';
import { INSTITUTION_SYSTEMS, InstitutionQualification, qualificationShortfalls } from '../organisations/institution-qualification';
import { usccCheckChar } from '../organisations/uscc';

/** A valid credit code for demo data: registration type (91 enterprise, 52 private non-enterprise unit), region, a running number. */
export function demoUscc(regionCode: string, serial: number, type: '91' | '52' = '91'): string {
  const body = `${type}${regionCode}MA${String(serial).padStart(7, '0')}`;
  return body + usccCheckChar(body);
}

const YICHUN = '230700';
const ZIBO = '370300';

/** Yichun's 21 mining enterprises (002_4d3c394a33d4593d.txt §三(一)); the documents name none, so these are marked demo. */
const yichunMines: NewOrganisation[] = Array.from({ length: 21 }, (_, i) => ({
  kind: 'enterprise',
  name: `伊春示范矿业第${String(i + 1).padStart(2, '0')}有限公司（演示）`,
  uscc: demoUscc(YICHUN, i + 1),
  regionCode: YICHUN,
  industry: '矿山',
  demo: true,
}));

const ziboEnterprises: NewOrganisation[] = (['危险化学品', '机械制造', '建筑施工', '交通运输'] as const).map((industry, i) => ({
  kind: 'enterprise',
  name: `淄博示范${industry}企业有限公司（演示）`,
  uscc: demoUscc(ZIBO, i + 1),
  regionCode: ZIBO,
  industry,
  demo: true,
}));

export const DEMO_INSTITUTION = '伊春示范安全培训中心（演示）';
/** A second institution, in another city, so tenancy is demonstrable (and testable) between two. */
export const DEMO_INSTITUTION_ZIBO = '淄博示范安全培训学校（演示）';
export const DEMO_TRAINEE_ENTERPRISE = yichunMines[0].name;

const ycQualification: InstitutionQualification = {
  yearsOfExperience: 8,
  fullTimeManagers: 3,
  fullTimeTeachers: 6,
  safetyTeachers: 2,
  seniorTeachers: 3,
  systems: [...INSTITUTION_SYSTEMS],
  digitalCourses: true,
};

/** Deliberately short of one condition, so the console shows a shortfall with its justification. */
const zbQualification: InstitutionQualification = { ...ycQualification, yearsOfExperience: 1, fullTimeTeachers: 4 };

export const ORGANISATIONS: NewOrganisation[] = [
  ...yichunMines,
  ...ziboEnterprises,
  {
    kind: 'institution',
    name: DEMO_INSTITUTION,
    uscc: demoUscc(YICHUN, 1, '52'),
    regionCode: YICHUN,
    demo: true,
    qualification: ycQualification,
    qualificationReview: { shortfalls: [] },
  },
  {
    kind: 'institution',
    name: DEMO_INSTITUTION_ZIBO,
    uscc: demoUscc(ZIBO, 1, '52'),
    regionCode: ZIBO,
    demo: true,
    qualification: zbQualification,
    qualificationReview: {
      shortfalls: qualificationShortfalls(zbQualification),
      justification: '机构新设（演示），师资由淄博市安全生产协会派驻，均有5年以上实践经验',
    },
  },
  { kind: 'department', name: '伊春市人力资源和社会保障局', regionCode: YICHUN, department: 'hrss', demo: true },
  { kind: 'department', name: '伊春市应急管理局', regionCode: YICHUN, department: 'emergency', demo: true },
  { kind: 'department', name: '伊春市卫生健康委员会', regionCode: YICHUN, department: 'health', demo: true },
  { kind: 'department', name: '淄博市人力资源和社会保障局', regionCode: ZIBO, department: 'hrss', demo: true },
  { kind: 'evaluator', name: '示范第三方评估机构（演示）', regionCode: '230000', demo: true },
];
