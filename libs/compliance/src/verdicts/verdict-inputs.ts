import { Injectable } from '@nestjs/common';
import { coursesForAudience, CourseRepository, LessonRepository, Program, ProgramRepository } from '@app/catalog';
import { OrganisationRepository, systemScope, Trainee, TraineeRepository } from '@app/identity';
import { LedgerEntry, LedgerRepository } from '@app/ledger';
import { lessonSeconds } from '@app/study';
import type { RuleSetVersion } from '../rules/rule-set';
import type { CourseProgress, VerdictInput } from '../rules/verdict';
import { ExamResultRepository } from '../persistence/exam-result.repository';
import { RuleSetRepository } from '../persistence/rule-set.repository';

/** Everything one verdict is judged from, with the trainee it is about. */
export interface JudgeCase {
  readonly trainee: Trainee;
  readonly program: Program;
  readonly ruleSet: RuleSetVersion;
  readonly input: VerdictInput;
}

interface ProgramCourses {
  readonly program: Program;
  readonly courses: Awaited<ReturnType<CourseRepository['listByProgram']>>;
  /** Published lessons per course, with their length in whole seconds. */
  readonly lessons: Map<string, { id: string; seconds: number }[]>;
}

const SCOPE = () => systemScope('合规判定读取学员、学时与考试结果 (compliance verdicts)');

/**
 * Course completion from the ledger: a course is finished when each of its published lessons is
 * credited in full (net of voids), the same rule the study progress view shows. A course with no
 * published lesson yet has nothing to finish and is left out.
 */
function courseProgress(pc: ProgramCourses, trainee: Trainee, industry: string, entries: readonly LedgerEntry[]): CourseProgress[] {
  const perLesson = new Map<string, number>();
  const perCourse = new Map<string, number>();
  for (const e of entries) {
    if (e.lessonId) perLesson.set(e.lessonId, (perLesson.get(e.lessonId) ?? 0) + e.seconds);
    if (e.courseId) perCourse.set(e.courseId, (perCourse.get(e.courseId) ?? 0) + e.seconds);
  }
  const { required, elective } = coursesForAudience(pc.courses, { industry, category: trainee.category }, pc.program);
  const out: CourseProgress[] = [];
  for (const { course, requirement } of [...required, ...elective]) {
    const lessons = pc.lessons.get(course.id) ?? [];
    if (lessons.length === 0) continue;
    out.push({
      courseId: course.id,
      title: course.title,
      requirement,
      completed: lessons.every((l) => (perLesson.get(l.id) ?? 0) >= l.seconds),
      seconds: Math.max(0, perCourse.get(course.id) ?? 0),
    });
  }
  return out;
}

/** Loads verdict inputs in bulk: one read per collection per batch, not per trainee. */
@Injectable()
export class VerdictInputs {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly organisations: OrganisationRepository,
    private readonly programs: ProgramRepository,
    private readonly courses: CourseRepository,
    private readonly lessons: LessonRepository,
    private readonly ledger: LedgerRepository,
    private readonly exams: ExamResultRepository,
    private readonly ruleSets: RuleSetRepository,
  ) {}

  /** Cases for the trainees that exist and whose program has a rule set; `ruleSetOverride` judges with a draft (the editor's preview). */
  async load(traineeIds: readonly string[], now: Date, ruleSetOverride?: RuleSetVersion): Promise<JudgeCase[]> {
    const scope = SCOPE();
    const trainees = await this.trainees.findByIds(scope, traineeIds);
    if (trainees.length === 0) return [];
    const ids = trainees.map((t) => t.id);
    const [entries, results] = await Promise.all([this.ledger.listForTrainees(scope, ids), this.exams.listForTrainees(scope, ids)]);
    const entriesOf = groupBy(entries, (e) => e.traineeId);
    const resultsOf = groupBy(results, (r) => r.traineeId);
    const industries = new Map<string, string>();
    for (const enterpriseId of new Set(trainees.map((t) => t.enterpriseId))) {
      industries.set(enterpriseId, (await this.organisations.findById(enterpriseId))?.industry ?? '');
    }
    const programCourses = new Map<string, ProgramCourses | undefined>();
    const ruleSets = new Map<string, RuleSetVersion | undefined>();
    const out: JudgeCase[] = [];
    for (const trainee of trainees) {
      if (!programCourses.has(trainee.programId)) {
        programCourses.set(trainee.programId, await this.programCourses(trainee.programId));
        ruleSets.set(trainee.programId, ruleSetOverride?.programId === trainee.programId ? ruleSetOverride : await this.ruleSets.current(trainee.programId));
      }
      const pc = programCourses.get(trainee.programId);
      const ruleSet = ruleSets.get(trainee.programId);
      if (!pc || !ruleSet) continue;
      const mine = entriesOf.get(trainee.id) ?? [];
      const seconds = { online: 0, offline: 0, practical: 0 };
      for (const e of mine) if (e.programId === trainee.programId) seconds[e.source] += e.seconds;
      out.push({
        trainee,
        program: pc.program,
        ruleSet,
        input: {
          ruleSet: { version: ruleSet.version, body: ruleSet.body },
          category: trainee.category,
          seconds,
          courses: courseProgress(pc, trainee, industries.get(trainee.enterpriseId) ?? '', mine.filter((e) => e.programId === trainee.programId)),
          exams: (resultsOf.get(trainee.id) ?? []).filter((r) => r.programId === trainee.programId).map((r) => ({ score: r.score, at: r.at })),
          now,
        },
      });
    }
    return out;
  }

  private async programCourses(programId: string): Promise<ProgramCourses | undefined> {
    const program = await this.programs.findById(programId);
    if (!program) return undefined;
    const courses = await this.courses.listByProgram(programId);
    const lessons = new Map<string, { id: string; seconds: number }[]>();
    for (const l of await this.lessons.listByCourses(courses.map((c) => c.id))) {
      if (l.status !== 'published' || !l.durationSeconds) continue;
      lessons.set(l.courseId, [...(lessons.get(l.courseId) ?? []), { id: l.id, seconds: lessonSeconds(l.durationSeconds) }]);
    }
    return { program, courses, lessons };
  }
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}
