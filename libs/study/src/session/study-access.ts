import type { AuthUser } from '@app/identity';
import type { SessionLesson, SessionOwner } from './study-session';

/** What the study context needs to know about a lesson and the trainee watching it. */
export interface LessonAccess {
  readonly owner: SessionOwner;
  readonly lesson: SessionLesson;
  readonly lessonDuration: number;
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
}

export const StudyAccessToken = Symbol('StudyAccess');
