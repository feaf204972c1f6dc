import { Injectable } from '@nestjs/common';
import { AuditActor, AuditEntry, AuditTenant, AuditTrail } from '@app/audit';
import { catalogTenantOf, changedFields, NothingChanged, unlessUnchanged } from '../audit/catalog-audit';
import { audienceProblems } from '../audience/audience';
import { catalogError } from '../catalog.errors';
import type { Program } from '../programs/program.entity';
import { ProgramRepository } from '../programs/program.repository';
import { courseDeadlineProblem } from './course-deadline';
import type { Course, CourseAudience, Lesson } from './course.entity';
import { CoursePatch, CourseRepository } from './course.repository';
import { LessonRepository } from './lesson.repository';

export interface NewCourseInput {
  programId: string;
  code: string;
  title: string;
  description?: string;
  audiences: CourseAudience[];
  /** YYYY-MM-DD inside the program. */
  deadline?: string;
}

const COURSE_FIELDS = ['title', 'description', 'audiences', 'deadline'] as const;

/**
 * The catalog's course use cases: each validates against its program, writes and records itself
 * in one commit of the audit trail (nothing is written when validation fails, and a change whose
 * record cannot be written does not happen). The caller is the actor: `auditActorOf(user)` from
 * the transport, or the platform itself for the demo seed.
 *
 * Callers are administrators (the transport's role check); what is checked here is the data.
 */
@Injectable()
export class CourseService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly programs: ProgramRepository,
    private readonly courses: CourseRepository,
    private readonly lessons: LessonRepository,
  ) {}

  /** A new course with its audiences (and, for the demo seed, its first lessons). `course.create`, then `lesson.create` per lesson. */
  async create(actor: AuditActor, input: NewCourseInput, options: { demo?: boolean; lessons?: readonly string[] } = {}): Promise<{ course: Course; lessons: Lesson[] }> {
    return this.trail.commit(actor, async (tx) => {
      const program = await this.programOf(input.programId);
      checkAudiences(program, input.audiences);
      checkDeadline(program, input.deadline);
      const course = await this.courses.create({
        programId: input.programId,
        code: input.code,
        title: input.title,
        description: input.description ?? '',
        audiences: input.audiences,
        deadline: input.deadline,
        demo: options.demo ?? false,
      });
      const tenant = catalogTenantOf(program);
      tx.record({
        action: 'course.create',
        target: { type: 'course', id: course.id },
        tenant,
        after: { programId: course.programId, code: course.code, title: course.title, audiences: course.audiences, deadline: course.deadline, demo: course.demo || undefined },
      });
      const lessons: Lesson[] = [];
      for (const title of options.lessons ?? []) {
        const lesson = await this.lessons.append(course.id, title);
        lessons.push(lesson);
        tx.record(lessonCreated(lesson, tenant));
      }
      return { course, lessons };
    });
  }

  /** Title, description, audiences, deadline (null clears it). `course.update` with before/after of the fields that changed; nothing changed, nothing written. */
  async update(actor: AuditActor, id: string, patch: CoursePatch): Promise<Course> {
    return unlessUnchanged(() =>
      this.trail.commit(actor, async (tx) => {
        const existing = await this.courses.findById(id);
        if (!existing) throw catalogError('COURSE_NOT_FOUND');
        const program = patch.audiences || patch.deadline ? await this.programOf(existing.programId) : undefined;
        if (patch.audiences) checkAudiences(program!, patch.audiences);
        if (patch.deadline) checkDeadline(program!, patch.deadline);
        const { before, after, changed } = changedFields<(typeof COURSE_FIELDS)[number]>(existing, patch, COURSE_FIELDS);
        if (changed.length === 0) throw new NothingChanged(existing);
        const course = (await this.courses.update(id, patch))!;
        tx.record({ action: 'course.update', target: { type: 'course', id }, tenant: catalogTenantOf(program ?? (await this.programs.findById(existing.programId))), before, after });
        return course;
      }),
    );
  }

  /** A lesson at the end of the course, without video yet. `lesson.create`. */
  async addLesson(actor: AuditActor, courseId: string, title: string): Promise<Lesson> {
    return this.trail.commit(actor, async (tx) => {
      const course = await this.courses.findById(courseId);
      if (!course) throw catalogError('COURSE_NOT_FOUND');
      const lesson = await this.lessons.append(courseId, title);
      tx.record(lessonCreated(lesson, catalogTenantOf(await this.programs.findById(course.programId))));
      return lesson;
    });
  }

  /** The course's lessons in the given order, which must name each of them once. `lesson.reorder` on the course, with the order before and after. */
  async reorderLessons(actor: AuditActor, courseId: string, lessonIds: readonly string[]): Promise<Lesson[]> {
    return unlessUnchanged(() =>
      this.trail.commit(actor, async (tx) => {
        const course = await this.courses.findById(courseId);
        if (!course) throw catalogError('COURSE_NOT_FOUND');
        const current = await this.lessons.listByCourse(courseId);
        const before = current.map((l) => l.id);
        // Same order: nothing to write (a wrong list is still refused by reorder below).
        if (before.length === lessonIds.length && before.every((id, i) => id === lessonIds[i])) throw new NothingChanged(current);
        const lessons = await this.lessons.reorder(courseId, lessonIds);
        tx.record({
          action: 'lesson.reorder',
          target: { type: 'course', id: courseId },
          tenant: catalogTenantOf(await this.programs.findById(course.programId)),
          before: { lessonIds: before },
          after: { lessonIds: lessons.map((l) => l.id) },
        });
        return lessons;
      }),
    );
  }

  /** `lesson.rename` with the old and new title; the same title again writes nothing. */
  async renameLesson(actor: AuditActor, lessonId: string, title: string): Promise<Lesson> {
    return unlessUnchanged(() =>
      this.trail.commit(actor, async (tx) => {
        const existing = await this.lessons.findById(lessonId);
        if (!existing) throw catalogError('LESSON_NOT_FOUND');
        if (existing.title === title) throw new NothingChanged(existing);
        const lesson = (await this.lessons.rename(lessonId, title))!;
        const course = await this.courses.findById(existing.courseId);
        tx.record({
          action: 'lesson.rename',
          target: { type: 'lesson', id: lessonId },
          tenant: catalogTenantOf(course && (await this.programs.findById(course.programId))),
          before: { title: existing.title },
          after: { title: lesson.title },
        });
        return lesson;
      }),
    );
  }

  private async programOf(programId: string): Promise<Program> {
    const program = await this.programs.findById(programId);
    if (!program) throw catalogError('PROGRAM_NOT_FOUND');
    return program;
  }
}

function lessonCreated(lesson: Lesson, tenant: AuditTenant): AuditEntry {
  return { action: 'lesson.create', target: { type: 'lesson', id: lesson.id }, tenant, after: { courseId: lesson.courseId, title: lesson.title, position: lesson.position } };
}

function checkAudiences(program: Program, audiences: CourseAudience[]): void {
  const problems = audienceProblems(program, audiences);
  if (problems.length > 0) throw catalogError('AUDIENCE_INVALID', { problems });
}

function checkDeadline(program: Program, deadline: string | undefined): void {
  const problem = deadline ? courseDeadlineProblem(deadline, program) : undefined;
  if (problem) throw catalogError('COURSE_DEADLINE_INVALID', { fields: [{ field: 'deadline', reasons: [problem] }] });
}
