/** 我的课程: where the player returns to. */
export const COURSES_PATH = '/trainee/courses';

/** The player of one lesson (a sub-route of 我的课程). */
export function lessonPath(lessonId: string): string {
  return `${COURSES_PATH}/lessons/${encodeURIComponent(lessonId)}`;
}
