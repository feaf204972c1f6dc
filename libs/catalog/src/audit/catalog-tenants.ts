import { Injectable } from '@nestjs/common';
import type { AuditTenant } from '@app/audit';
import { CourseRepository } from '../courses/course.repository';
import { LessonRepository } from '../courses/lesson.repository';
import { ProgramRepository } from '../programs/program.repository';
import { catalogTenantOf } from './catalog-audit';

/** The audit tenant of catalog data other contexts change (a lesson's video): its program's region. */
@Injectable()
export class CatalogTenants {
  constructor(
    private readonly programs: ProgramRepository,
    private readonly courses: CourseRepository,
    private readonly lessons: LessonRepository,
  ) {}

  async ofCourse(courseId: string): Promise<AuditTenant> {
    const course = await this.courses.findById(courseId);
    return catalogTenantOf(course && (await this.programs.findById(course.programId)));
  }

  async ofLesson(lessonId: string): Promise<AuditTenant> {
    const lesson = await this.lessons.findById(lessonId);
    return lesson ? this.ofCourse(lesson.courseId) : {};
  }
}
