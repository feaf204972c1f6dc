export { ExamsModule } from './exams.module';
export { ExamErrors, ExamErrorCode, examError } from './exams.errors';
export * from './exam.entity';
export * from './rules/exam-rules';
export { SittingService, SittingInput, Scheduled, ExcludedCandidate, SITTING_TARGET } from './sittings/sitting.service';
export { SittingRepository } from './persistence/sitting.repository';
