import { Injectable } from '@nestjs/common';
import { catalogError, CourseRepository, LessonRepository, ProgramRepository, requirementFor } from '@app/catalog';
import { AuthUser, FaceEnrolmentService } from '@app/identity';
import { LessonAccess, StudyAccess, studyError } from '@app/study';
import { TraineeAudience } from '../catalog/trainee-audience';

/** Study's view of catalog and identity: which trainee record studies which published lesson. */
@Injectable()
export class StudyAccessAdapter implements StudyAccess {
  constructor(
    private readonly lessons: LessonRepository,
    private readonly courses: CourseRepository,
    private readonly programs: ProgramRepository,
    private readonly audience: TraineeAudience,
    private readonly enrolment: FaceEnrolmentService,
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

  references(traineeId: string): Promise<number[][]> {
    return this.enrolment.activeDescriptors({ kind: 'all' }, traineeId);
  }
}
