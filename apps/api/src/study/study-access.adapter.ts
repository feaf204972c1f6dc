import { Injectable } from '@nestjs/common';
import { catalogError, CourseRepository, coursesForAudience, LessonRepository, ProgramRepository, requirementFor } from '@app/catalog';
import { AuthUser, FaceEnrolmentService, systemScope, TraineeRepository, tenantScopeOf } from '@app/identity';
import { Curriculum, LessonAccess, StudyAccess, studyError } from '@app/study';
import { TraineeAudience } from '../catalog/trainee-audience';

const REFERENCES_SCOPE = systemScope('学习人脸核验：读取学员本人已启用的人脸底库');

/** Study's view of catalog and identity: which trainee record studies which published lesson. */
@Injectable()
export class StudyAccessAdapter implements StudyAccess {
  constructor(
    private readonly lessons: LessonRepository,
    private readonly courses: CourseRepository,
    private readonly programs: ProgramRepository,
    private readonly audience: TraineeAudience,
    private readonly enrolment: FaceEnrolmentService,
    private readonly trainees: TraineeRepository,
  ) {}

  async resolve(user: AuthUser, lessonId: string): Promise<LessonAccess> {
    if (user.role !== 'trainee') throw studyError('NOT_ENROLLED');
    const lesson = await this.lessons.findById(lessonId);
    if (!lesson) throw catalogError('LESSON_NOT_FOUND');
    const course = await this.courses.findById(lesson.courseId);
    if (!course) throw catalogError('COURSE_NOT_FOUND');
    const match = (await this.audience.traineeEnrolments(user)).find(
      (e) => e.trainee.programId === course.programId && requirementFor(course, e.enrolment) !== undefined,
    );
    if (!match) throw studyError('NOT_ENROLLED');
    if (lesson.status !== 'published' || !lesson.durationSeconds || lesson.durationSeconds <= 0) throw studyError('LESSON_NOT_PLAYABLE');
    const program = await this.programs.findById(course.programId);
    if (!program) throw catalogError('PROGRAM_NOT_FOUND');
    const t = match.trainee;
    return {
      owner: { userId: user.id, traineeId: t.id, programId: t.programId, institutionId: t.institutionId, regionCode: t.enterpriseRegionCode },
      lesson: { lessonId: lesson.id, courseId: course.id, minutesPerHour: program.minutesPerHour },
      lessonDuration: lesson.durationSeconds,
    };
  }

  /** Study asks only for the trainee whose session it opened through {@link resolve}, which checked the caller. */
  references(traineeId: string): Promise<number[][]> {
    return this.enrolment.activeDescriptors(REFERENCES_SCOPE, traineeId);
  }

  async curricula(user: AuthUser): Promise<Curriculum[]> {
    const out: Curriculum[] = [];
    for (const { trainee, enrolment } of await this.audience.traineeEnrolments(user)) {
      const program = await this.programs.findById(trainee.programId);
      if (!program) continue;
      const { required, elective } = coursesForAudience(await this.courses.listByProgram(program.id), enrolment, program);
      const entries = [...required, ...elective];
      const lessons = await this.lessons.listByCourses(entries.map((e) => e.course.id));
      out.push({
        traineeId: trainee.id,
        programId: program.id,
        minutesPerHour: program.minutesPerHour,
        courses: entries.map((e) => ({
          courseId: e.course.id,
          requirement: e.requirement,
          lessons: lessons
            .filter((l) => l.courseId === e.course.id && l.status === 'published' && (l.durationSeconds ?? 0) > 0)
            .map((l) => ({ lessonId: l.id, durationSeconds: l.durationSeconds! })),
        })),
      });
    }
    return out;
  }

  async titles(lessonIds: readonly string[]): Promise<Map<string, { lessonTitle: string; courseTitle: string }>> {
    const out = new Map<string, { lessonTitle: string; courseTitle: string }>();
    const courseTitles = new Map<string, string>();
    for (const id of lessonIds) {
      const lesson = await this.lessons.findById(id);
      if (!lesson) continue;
      if (!courseTitles.has(lesson.courseId)) courseTitles.set(lesson.courseId, (await this.courses.findById(lesson.courseId))?.title ?? '');
      out.set(id, { lessonTitle: lesson.title, courseTitle: courseTitles.get(lesson.courseId)! });
    }
    return out;
  }

  async traineeInScope(user: AuthUser, traineeId: string): Promise<{ programId: string; minutesPerHour: number } | undefined> {
    const trainee = await this.trainees.findById(tenantScopeOf(user), traineeId);
    if (!trainee) return undefined;
    const program = await this.programs.findById(trainee.programId);
    return program ? { programId: program.id, minutesPerHour: program.minutesPerHour } : undefined;
  }
}
