import { Injectable, OnModuleInit } from '@nestjs/common';
import { ProgramRepository, SEED_ACTOR } from '@app/catalog';
import { DEMO_PROGRAM_CODE, DEMO_TRAINEE_ID_NUMBER, residentIdCheckChar, systemScope, TraineeRepository } from '@app/identity';
import { Clock, Seeder, SeedRegistry, SeedResult, systemClock } from '@app/platform';
import { chinaDateOf } from '../china-date';
import { ClassService } from '../classes/class.service';
import { InstructorService, NewInstructorInput } from '../instructors/instructor.service';
import { ClassRepository } from '../persistence/class.repository';
import { InstructorRepository } from '../persistence/instructor.repository';
import { TimetableService } from '../timetable/timetable.service';

const SCOPE = systemScope('演示数据初始化：线下培训演示班次');
export const DEMO_CLASS_NAME = '伊春矿山班组长线下培训班（演示）';

/** Synthetic, well-formed ID numbers (伊春市伊美区), marked by the names as demo. */
const id = (seventeen: string) => seventeen + residentIdCheckChar(seventeen);
const INSTRUCTORS: Omit<NewInstructorInput, 'institutionId'>[] = [
  { name: '演示管理员甲', idNumber: id('23071719800101201'), role: 'manager', employment: 'full_time', title: '培训管理', titleLevel: 'intermediate', specialty: '培训组织', safetyMajor: false, safetyTeacher: false, yearsOfPractice: 6 },
  { name: '演示管理员乙', idNumber: id('23071719820202202'), role: 'manager', employment: 'full_time', title: '培训管理', titleLevel: 'junior', specialty: '档案管理', safetyMajor: false, safetyTeacher: false, yearsOfPractice: 3 },
  { name: '演示教师张', idNumber: id('23071719750303303'), role: 'teacher', employment: 'full_time', title: '高级工程师', titleLevel: 'senior', specialty: '矿山安全', safetyMajor: true, safetyTeacher: true, yearsOfPractice: 18 },
  { name: '演示教师李', idNumber: id('23071719780404404'), role: 'teacher', employment: 'full_time', title: '高级技师', titleLevel: 'senior', specialty: '井下作业实训', safetyMajor: false, safetyTeacher: false, yearsOfPractice: 12 },
  { name: '演示教师王', idNumber: id('23071719880505505'), role: 'teacher', employment: 'part_time', title: '注册安全工程师', titleLevel: 'intermediate', specialty: '职业病防治', safetyMajor: true, safetyTeacher: true, yearsOfPractice: 4 },
];

/** 09:00 and 14:00 China time on the day after `day`, as UTC instants. */
const at = (day: string, hour: number) => new Date(Date.parse(`${day}T00:00:00Z`) + (24 + hour - 8) * 3600_000);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A demo class of the demo institution with its instructors, the demo trainee on its roster and
 * two sessions tomorrow (theory and practical), written through the audited use cases as the
 * platform (demo seed). Dates follow the day it is first seeded; it is seeded once.
 */
@Injectable()
export class DemoClassSeeder implements Seeder, OnModuleInit {
  readonly name = 'offline.demo-class';
  readonly order = 60;
  private readonly clock: Clock = systemClock;

  constructor(
    private readonly registry: SeedRegistry,
    private readonly programs: ProgramRepository,
    private readonly trainees: TraineeRepository,
    private readonly classRepo: ClassRepository,
    private readonly instructorRepo: InstructorRepository,
    private readonly classes: ClassService,
    private readonly instructors: InstructorService,
    private readonly timetable: TimetableService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    const program = await this.programs.findByCode(DEMO_PROGRAM_CODE);
    const trainee = (await this.trainees.list(SCOPE, { idNumber: DEMO_TRAINEE_ID_NUMBER }, { offset: 0, limit: 1 })).items[0];
    if (!program || !trainee) throw new Error('demo class: program or demo trainee missing');
    if (await this.classRepo.findByName(trainee.institutionId, DEMO_CLASS_NAME)) return { summary: '线下培训演示班次 1 个（已存在）' };
    const people = [];
    for (const i of INSTRUCTORS) people.push((await this.instructorRepo.findByIdNumber(trainee.institutionId, i.idNumber)) ?? (await this.instructors.createAs(SEED_ACTOR, SCOPE, { ...i, institutionId: trainee.institutionId })));
    const today = chinaDateOf(this.clock.now());
    const cls = await this.classes.createIn(SEED_ACTOR, SCOPE, {
      programId: program.id,
      institutionId: trainee.institutionId,
      name: DEMO_CLASS_NAME,
      category: 'team_leader',
      industry: '矿山',
      location: '伊春市伊美区 演示培训中心',
      startDate: today,
      endDate: addDays(today, 2),
    }, { demo: true });
    await this.classes.addTraineeAs(SEED_ACTOR, SCOPE, cls.id, trainee.id);
    await this.timetable.addAs(SEED_ACTOR, SCOPE, cls.id, { startsAt: at(today, 9), endsAt: at(today, 11), kind: 'theory', topic: '矿山事故案例与工伤预防', instructorId: people[2].id, room: '201 教室' });
    await this.timetable.addAs(SEED_ACTOR, SCOPE, cls.id, { startsAt: at(today, 14), endsAt: at(today, 16), kind: 'practical', topic: '自救器使用实训', instructorId: people[3].id, room: '实训车间' });
    return { summary: `线下培训演示班次 1 个（新建，教师 ${people.length} 名，课次 2 个）` };
  }
}
