import { Injectable, OnModuleInit } from '@nestjs/common';
import { Seeder, SeedRegistry, SeedResult } from '@app/platform';
import { SEED_ACTOR } from '../audit/catalog-audit';
import { CourseRepository } from '../courses/course.repository';
import { CourseService } from '../courses/course.service';
import { ProgramRepository } from '../programs/program.repository';
import { ProgramService } from '../programs/program.service';
import { DEMO_COURSES, DEMO_ELECTIVE_TARGETS } from './courses.data';

/**
 * Demo courses with their lessons, through the course use case (one commit per course, recorded as
 * the platform's demo seed); a course that exists already (by program and code) is left as the
 * administrator made it.
 */
@Injectable()
export class CourseSeeder implements Seeder, OnModuleInit {
  readonly name = 'catalog.demo-courses';
  readonly order = 11;

  constructor(
    private readonly programs: ProgramRepository,
    private readonly programService: ProgramService,
    private readonly courses: CourseRepository,
    private readonly courseService: CourseService,
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
      if (await this.courses.findByCode(program.id, demo.code)) continue;
      const { lessons, programCode: _, ...fields } = demo;
      await this.courseService.create(SEED_ACTOR, { ...fields, programId: program.id }, { demo: true, lessons });
      created++;
    }
    const yc = await this.programs.findByCode(DEMO_ELECTIVE_TARGETS.programCode);
    if (yc && yc.electiveTargets.length === 0) await this.programService.updateStudySettings(SEED_ACTOR, yc.id, { electiveTargets: DEMO_ELECTIVE_TARGETS.targets });
    return { summary: `演示课程 ${DEMO_COURSES.length} 门（新建 ${created}）` };
  }
}
