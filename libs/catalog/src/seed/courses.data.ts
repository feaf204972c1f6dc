import type { CourseAudience } from '../courses/course.entity';

/**
 * Demo courses (marked demo): the general content the documents name for online study — laws
 * and standards, basic injury-prevention knowledge, the TV series — per program and audience.
 * Lessons are created without video; an administrator uploads one per lesson.
 */
export interface DemoCourse {
  programCode: string;
  code: string;
  title: string;
  description: string;
  audiences: CourseAudience[];
  deadline?: string;
  lessons: string[];
}

export const DEMO_COURSES: DemoCourse[] = [
  {
    programCode: 'YC-2025-MINING',
    code: 'YC-LAW-01',
    title: '安全生产与工伤保险法律法规',
    description: '《刑法》《社会保险法》《安全生产法》《职业病防治法》《工伤保险条例》要点（伊应急函〔2025〕41号要求学习的法律法规）。',
    audiences: [{ industry: '*', category: '*', requirement: 'required' }],
    lessons: ['《安全生产法》要点', '《工伤保险条例》与工伤认定', '《职业病防治法》与职业健康'],
  },
  {
    programCode: 'YC-2025-MINING',
    code: 'YC-MINE-TL',
    title: '矿山班组长现场安全管理',
    description: '班组安全管理、隐患排查、应急处置。',
    audiences: [
      { industry: '矿山', category: 'team_leader', requirement: 'required' },
      { industry: '矿山', category: 'safety_manager', requirement: 'elective' },
    ],
    deadline: '2025-03-31',
    lessons: ['班前会与岗位风险辨识', '隐患排查与治理'],
  },
  {
    programCode: 'YC-2025-MINING',
    code: 'YC-TV-01',
    title: '安全生产警示教育专题片',
    description: '安全生产电视专题片选看。',
    audiences: [{ industry: '*', category: '*', requirement: 'elective' }],
    lessons: ['专题片（一）'],
  },
  {
    programCode: 'JL-2022-HAZCHEM',
    code: 'JL-TV-01',
    title: '《生命重于泰山》电视专题片',
    description: '吉林省危险化学品培训必看内容（吉人社联〔2022〕28号）。',
    audiences: [{ industry: '危险化学品', category: '*', requirement: 'required' }],
    lessons: ['《生命重于泰山》'],
  },
];

/** A demo elective target for the demo program, so "my courses" shows one (the documents set none). */
export const DEMO_ELECTIVE_TARGETS = { programCode: 'YC-2025-MINING', targets: [{ industry: '*', category: '*', minHours: 2 }] };
