import { Injectable, OnModuleInit } from '@nestjs/common';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { CourseRepository } from '../courses/course.repository';
import { LessonRepository } from '../courses/lesson.repository';
import { ProgramRepository } from '../programs/program.repository';
import { DEMO_COURSES, DEMO_ELECTIVE_TARGETS } from './courses.data';

/** Demo courses with their lessons; a course that exists already (by program and code) is left as the administrator made it. */
@Injectable()
export class CourseSeeder implements Seeder, OnModuleInit {
  readonly name = 'catalog.demo-courses';
  readonly order = 11;

  constructor(
    private readonly programs: ProgramRepository,
    private readonly courses: CourseRepository,
    private readonly lessons: LessonRepository,
    private readonly registry: SeedRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async seed(): Promise<SeedResult> {
    let created = 0;
    for (const demo of DEMO_COURSES) {
      const program = await this.programs.findByCode(demo.programCode);
      if (!program) throw new Error(`demo course ${demo.code}: program ${demo.programCode} missing`);
      const { lessons, programCode: _, ...fields } = demo;
      const res = await this.courses.upsertByCode({ ...fields, programId: program.id, demo: true });
      if (!res.created) continue;
      created++;
      for (const title of lessons) await this.lessons.append(res.course.id, title);
    }
    const yc = await this.programs.findByCode(DEMO_ELECTIVE_TARGETS.programCode);
    if (yc && yc.electiveTargets.length === 0) await this.programs.updateStudySettings(yc.id, { electiveTargets: DEMO_ELECTIVE_TARGETS.targets });
    return { summary: `演示课程 ${DEMO_COURSES.length} 门（新建 ${created}）` };
  }
}
