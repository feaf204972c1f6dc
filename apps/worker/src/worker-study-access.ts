import { Injectable } from '@nestjs/common';
import type { Curriculum, LessonAccess, StudyAccess } from '@app/study';

/**
 * The worker runs study's jobs (the sweep), never a trainee's verb: nothing here opens a session,
 * checks a face or reads a curriculum. The study context still needs an access port to be built, so
 * this one refuses loudly instead of answering wrongly if a verb ever reached it.
 */
@Injectable()
export class WorkerStudyAccess implements StudyAccess {
  private refuse(what: string): never {
    throw new Error(`apps/worker serves no study verbs (${what}): they belong to the API`);
  }

  resolve(): Promise<LessonAccess> {
    this.refuse('resolve');
  }

  references(): Promise<number[][]> {
    this.refuse('references');
  }

  curricula(): Promise<Curriculum[]> {
    this.refuse('curricula');
  }

  titles(): Promise<Map<string, { lessonTitle: string; courseTitle: string }>> {
    this.refuse('titles');
  }

  traineeInScope(): Promise<{ programId: string; minutesPerHour: number } | undefined> {
    this.refuse('traineeInScope');
  }
}
