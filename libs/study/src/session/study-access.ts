import type { AuthUser } from '@app/identity';
import type { SessionLesson, SessionOwner } from './study-session';

/** What the study context needs to know about a lesson and the trainee watching it. */
export interface LessonAccess {
  readonly owner: SessionOwner;
  readonly lesson: SessionLesson;
  readonly lessonDuration: number;
}

/** What a trainee must study in one program: the courses of their audience with their published lessons. */
export interface Curriculum {
  readonly traineeId: string;
  readonly programId: string;
  readonly minutesPerHour: number;
  readonly courses: readonly {
    readonly courseId: string;
    readonly requirement: 'required' | 'elective';
    readonly lessons: readonly { readonly lessonId: string; readonly durationSeconds: number }[];
  }[];
}

/**
 * The study context's view of catalog and identity, implemented where those are wired (the API):
 * who may study which lesson, in which program, and against which face references.
 */
export interface StudyAccess {
  /** Throws a 4xx AppError when the user may not study the lesson (not a trainee, not in its audience, not published). */
  resolve(user: AuthUser, lessonId: string): Promise<LessonAccess>;
  /** The trainee's active face reference descriptors. */
  references(traineeId: string): Promise<number[][]>;
  /** The caller's own curricula (a trainee: one per active enrolment). */
  curricula(user: AuthUser): Promise<Curriculum[]>;
  /** Lesson and course titles for lists. */
  titles(lessonIds: readonly string[]): Promise<Map<string, { lessonTitle: string; courseTitle: string }>>;
  /** The trainee if the caller may see them (tenant scope), with their program's minutes per 学时. */
  traineeInScope(user: AuthUser, traineeId: string): Promise<{ programId: string; minutesPerHour: number } | undefined>;
}

export const StudyAccessToken = Symbol('StudyAccess');
