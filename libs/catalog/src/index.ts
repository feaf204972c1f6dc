export { CatalogModule } from './catalog.module';
export { CatalogErrors, CatalogErrorCode, catalogError } from './catalog.errors';
export { ProgramRepository } from './programs/program.repository';
export { ProgramService, StudySettingsPatch } from './programs/program.service';
export * from './programs/program.entity';
export * from './courses/course.entity';
export { CourseRepository, CoursePatch } from './courses/course.repository';
export { LessonRepository } from './courses/lesson.repository';
export { CourseService, NewCourseInput } from './courses/course.service';
export { catalogTenantOf, NothingChanged, SEED_ACTOR, unlessUnchanged } from './audit/catalog-audit';
export { CatalogTenants } from './audit/catalog-tenants';
export {
  ANY,
  AudienceCourse,
  AudienceProblem,
  audienceProblems,
  coursesForAudience,
  electiveTargetFor,
  minutesToHours,
  requirementFor,
} from './audience/audience';
export { courseDeadlineProblem, isCalendarDate } from './courses/course-deadline';
export { hoursTargetFor, HoursTarget } from './programs/hours-target';
export { PROGRAMS } from './seed/programs.data';
