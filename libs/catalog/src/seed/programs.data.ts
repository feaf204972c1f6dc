import type { NewProgram, PersonnelCategory, RuleSet } from '../programs/program.entity';

/**
 * The programs in ../shared/seeds, as data. Every number and date cites the document (by its 文号,
 * which users know it by) and paragraph it comes from; where two passages of one document
 * disagree, both deadlines are kept. The seed file each 文号 is in is named beside it.
 */

/** 000_8f1f65ace16593c2.txt: the national notice. */
const S_NAT = '人社厅函〔2023〕102号';
/** 001_0f59b514324dcfca.txt: Shandong's plan. */
const S_SD = '鲁人社函〔2023〕94号';
/** 002_4d3c394a33d4593d.txt: Yichun's project proposal. */
const S_YC = '伊应急函〔2025〕41号';
/** 003_009be0719f87871d.txt: Jilin's hazardous-chemicals plan. */
const S_JL = '吉人社联〔2022〕28号';
/** 004_26e935d8cca627c1.txt: Zibo's 2024 plan. */
const S_ZB = '淄人社字〔2024〕38号';

const THREE_CATEGORIES: PersonnelCategory[] = [
  { code: 'deputy_head', name: '安全生产与职业健康分管负责人' },
  { code: 'safety_manager', name: '专职安全、职业健康管理人员' },
  { code: 'team_leader', name: '一线班组长（含车间主任、车队长）' },
];

/** 12–48 / 20–72 hours, ≥60% offline in principle, team leaders ≥1/4 practical; classes ≤40 / ≤80. */
function nationalRules(source: string, classSource: string, exam: RuleSet['exam']): RuleSet {
  return {
    hours: [
      { category: 'deputy_head', minHours: 12, maxHours: 48 },
      { category: 'safety_manager', minHours: 12, maxHours: 48 },
      { category: 'team_leader', minHours: 20, maxHours: 72 },
    ],
    offlineShare: { categories: ['deputy_head', 'safety_manager', 'team_leader'], minShare: 0.6, strictness: 'principle', source },
    practicalShare: { categories: ['team_leader'], minShare: 0.25, strictness: 'strict', source },
    classSizes: [
      { category: 'deputy_head', max: 40, strictness: 'principle', source: classSource },
      { category: 'safety_manager', max: 80, strictness: 'principle', source: classSource },
      { category: 'team_leader', max: 80, strictness: 'principle', source: classSource },
    ],
    exam,
  };
}

export const PROGRAMS: NewProgram[] = [
  {
    code: 'CN-2023-4IND',
    name: '矿山、机械制造、铁路运输、铁路建设施工等行业重点企业工伤预防能力提升培训工程（全国）',
    jurisdiction: { regionCode: '100000', name: '全国' },
    industries: ['矿山', '机械制造', '铁路运输', '铁路建设施工'],
    categories: THREE_CATEGORIES,
    minutesPerHour: 45,
    startDate: '2023-01-01',
    endDate: '2025-12-31',
    rules: nationalRules(`${S_NAT} §二(四)`, `${S_NAT} §二(三)`, { organiser: 'institution', retakesAllowed: 1, source: `${S_NAT} §三(三)` }),
    deadlines: [
      { date: '2025-12-31', description: '2025年底前基本实现培训全覆盖', source: `${S_NAT} §二(一)` },
      { date: '2025-12-31', description: '确保2025年前实现重点企业重点人员培训全覆盖', source: `${S_NAT} §四(二)` },
    ],
    targets: [],
    notes: ['鼓励依托工伤预防云平台统一考试（人社厅函〔2023〕102号 §三(三)）'],
    completionDeadline: '2025-12-31',
    // The documents set no per-audience elective hours; administrators set them per program.
    electiveTargets: [],
  },
  {
    code: 'SD-2023-6IND',
    name: '山东省矿山、冶金、建材、建筑施工、交通运输、机械制造等行业重点企业工伤预防能力提升培训工程',
    jurisdiction: { regionCode: '370000', name: '山东省' },
    industries: ['矿山', '冶金', '建材', '建筑施工', '交通运输', '机械制造'],
    categories: THREE_CATEGORIES,
    minutesPerHour: 45,
    startDate: '2023-01-01',
    endDate: '2025-12-31',
    rules: nationalRules(`${S_SD} §三(四)`, `${S_SD} §三(三)`, { organiser: 'institution', retakesAllowed: 1, source: `${S_SD} §五(二)` }),
    deadlines: [
      { date: '2024-12-31', description: '全面开展培训，完成三年培训任务的60%', source: `${S_SD} §四` },
      { date: '2025-10-31', description: '全面完成各项培训任务', source: `${S_SD} §四` },
      { date: '2025-12-31', description: '实现重点企业重点人员培训全覆盖', source: `${S_SD} §二` },
    ],
    targets: [],
    notes: ['各市每年12月报送年度进展，项目结束报送总结（鲁人社函〔2023〕94号 §四、§五）'],
    completionDeadline: '2025-10-31',
    // The documents set no per-audience elective hours; administrators set them per program.
    electiveTargets: [],
  },
  {
    code: 'JL-2022-HAZCHEM',
    name: '吉林省危险化学品重点企业工伤预防能力提升培训工程（2022—2024年）',
    jurisdiction: { regionCode: '220000', name: '吉林省' },
    industries: ['危险化学品'],
    categories: [
      { code: 'deputy_head', name: '安全生产与职业健康分管负责人' },
      { code: 'safety_manager', name: '专职安全、职业健康管理人员' },
      { code: 'team_leader', name: '班组长（含车间主任）' },
    ],
    minutesPerHour: 45,
    startDate: '2022-01-01',
    endDate: '2024-12-31',
    rules: {
      hours: [
        { category: 'deputy_head', minHours: 24, maxHours: 48 },
        { category: 'safety_manager', minHours: 24, maxHours: 48 },
        { category: 'team_leader', minHours: 24, maxHours: 72 },
      ],
      offlineShare: { categories: ['deputy_head', 'safety_manager', 'team_leader'], minShare: 0.6, strictness: 'principle', source: `${S_JL} §二(四)` },
      practicalShare: { categories: ['team_leader'], minShare: 0.25, strictness: 'strict', source: `${S_JL} §二(四)` },
      classSizes: [
        { category: 'deputy_head', max: 40, strictness: 'principle', source: `${S_JL} §二(三)` },
        { category: 'safety_manager', max: 80, strictness: 'principle', source: `${S_JL} §二(四)` },
        { category: 'team_leader', max: 80, strictness: 'principle', source: `${S_JL} §二(四)` },
      ],
      exam: { organiser: 'joint', retakesAllowed: 1, minCoverage: 1, minPassRate: 0.95, source: `${S_JL} §二(四)、§五(二)` },
    },
    deadlines: [
      { date: '2024-12-31', description: '2024年底前实现培训全覆盖', source: `${S_JL} §二(一)` },
      { date: '2024-09-30', description: '每年9月30日前申报培训项目', source: `${S_JL} §三(一)` },
    ],
    targets: [],
    notes: ['《生命重于泰山》为必看内容', '优先重大危险源企业；2023年重大危险源负责人和内训师优先（吉人社联〔2022〕28号 §二(一)、§四(三)）'],
    completionDeadline: '2024-12-31',
    // The documents set no per-audience elective hours; administrators set them per program.
    electiveTargets: [],
  },
  {
    code: 'YC-2025-MINING',
    name: '伊春市2025年度矿山和机械制造企业工伤预防能力提升培训工程',
    jurisdiction: { regionCode: '230700', name: '黑龙江省伊春市' },
    industries: ['矿山', '机械制造'],
    categories: THREE_CATEGORIES,
    minutesPerHour: 45,
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    rules: nationalRules(`${S_YC} §三(一)`, `${S_NAT} §二(三)`, { organiser: 'separate', retakesAllowed: 1, source: `${S_YC} §四(五)` }),
    deadlines: [
      { date: '2024-12-31', description: '2024年底前培训60%以上', source: `${S_YC} §三(二)` },
      { date: '2025-04-30', description: '2025年4月底前实现培训全覆盖', source: `${S_YC} §三(二)` },
    ],
    targets: [
      { description: '矿山企业', count: 21, unit: 'enterprises', source: `${S_YC} §三(一)` },
      { description: '应参训人员', count: 131, unit: 'people', source: `${S_YC} §三(一)` },
      { description: '安全生产分管负责人', count: 15, category: 'deputy_head', unit: 'people', source: `${S_YC} §三(一)` },
      { description: '专职安全管理人员', count: 52, category: 'safety_manager', unit: 'people', source: `${S_YC} §三(一)` },
      { description: '班组长（含车间主任、车队长）', count: 64, category: 'team_leader', unit: 'people', source: `${S_YC} §三(一)` },
      { description: '2024年底前已培训', count: 82, unit: 'people', by: '2024-12-31', source: `${S_YC} §三(一)` },
      { description: '2025年应培训', count: 49, unit: 'people', by: '2025-12-31', source: `${S_YC} §三(一)` },
    ],
    notes: ['培考分离：市应急管理局或其委托单位按班次出题监考，允许补考一次（伊应急函〔2025〕41号 §四(五)）', '录像保存不少于5年（伊应急函〔2025〕41号 §四(四)）'],
    completionDeadline: '2025-04-30',
    // The documents set no per-audience elective hours; administrators set them per program.
    electiveTargets: [],
  },
  {
    code: 'ZB-2024',
    name: '淄博市2024年度工伤预防能力提升培训',
    jurisdiction: { regionCode: '370300', name: '山东省淄博市' },
    industries: ['危险化学品', '非煤矿山', '建材', '建筑施工', '交通运输', '机械制造', '煤矿'],
    categories: [
      { code: 'deputy_head', name: '分管负责人' },
      { code: 'safety_dept_head', name: '安全管理部门负责人' },
      { code: 'team_leader', name: '一线班组长（含车间主任、车队长）' },
      { code: 'project_lead', name: '项目负责人（建筑施工）' },
    ],
    minutesPerHour: 45,
    startDate: '2024-01-01',
    endDate: '2024-12-31',
    rules: {
      // Zibo's plan sets no hours of its own; the Shandong programme's apply.
      ...nationalRules(`${S_SD} §三(四)`, `${S_SD} §三(三)`, { organiser: 'institution', retakesAllowed: 1, source: `${S_SD} §五(二)` }),
      // The 60 % share is asked of all of the trainees (三类人员), so of Zibo's own four categories.
      offlineShare: { categories: ['deputy_head', 'safety_dept_head', 'team_leader', 'project_lead'], minShare: 0.6, strictness: 'principle', source: `${S_SD} §三(四)` },
      hours: [
        { category: 'deputy_head', minHours: 12, maxHours: 48 },
        { category: 'safety_dept_head', minHours: 12, maxHours: 48 },
        { category: 'project_lead', minHours: 12, maxHours: 48 },
        { category: 'team_leader', minHours: 20, maxHours: 72 },
      ],
    },
    deadlines: [{ date: '2024-12-31', description: '危险化学品年内完成，其他行业完成60%；延期须申请', source: `${S_ZB} §五` }],
    targets: [
      { description: '全年培训人数', count: 12000, unit: 'people', source: `${S_ZB} §三(二)` },
      { description: '线下培训人数', count: 10000, unit: 'people', mode: 'offline', source: `${S_ZB} §三(二)` },
      { description: '线上培训人数', count: 2000, unit: 'people', mode: 'online', source: `${S_ZB} §三(二)` },
      { description: '危险化学品重点企业一线班组长', count: 2026, category: 'team_leader', unit: 'people', source: `${S_ZB} §三(二)` },
    ],
    notes: ['淄博按人数（分线上/线下）计，不按学时', '2024年工伤预防费500万元用于宣传和培训，按实际发生额列支（非培训预算）', '预付30%；验收不合格的机构3年内不得承接（淄人社字〔2024〕38号 §六）'],
    completionDeadline: '2024-12-31',
    // The documents set no per-audience elective hours; administrators set them per program.
    electiveTargets: [],
  },
];
