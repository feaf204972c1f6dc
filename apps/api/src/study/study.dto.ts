import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type {
  CheckRecordView,
  CourseProgressView,
  HoursBySourceView,
  LessonProgressView,
  MyProgressView,
  ProgramProgressView,
  RefusalRecordView,
  StudySessionRecordView,
  StudySessionSummaryView,
} from '@app/study';

// OpenAPI mirrors of the views in libs/study/src/protocol/study-protocol.ts (the console's contract).

const STATUSES = ['active', 'completed', 'closed', 'superseded', 'abandoned', 'terminated'];
const CHECK_STATUSES = ['outstanding', 'passed', 'failed', 'timed-out'];

export class HoursBySourceDto implements HoursBySourceView {
  @ApiProperty() online!: number;
  @ApiProperty() offline!: number;
  @ApiProperty() practical!: number;
}

export class LessonProgressDto implements LessonProgressView {
  @ApiProperty() lessonId!: string;
  @ApiProperty({ description: '已计入的秒数' }) creditedSeconds!: number;
  @ApiProperty({ description: '可计入的秒数（时长向上取整）' }) lessonSeconds!: number;
  @ApiProperty() complete!: boolean;
}

export class CourseProgressDto implements CourseProgressView {
  @ApiProperty() courseId!: string;
  @ApiProperty({ enum: ['required', 'elective'] }) requirement!: 'required' | 'elective';
  @ApiProperty() creditedSeconds!: number;
  @ApiProperty() totalSeconds!: number;
  @ApiProperty({ description: '0–100' }) percent!: number;
  @ApiProperty({ type: [LessonProgressDto] }) lessons!: LessonProgressDto[];
}

export class ProgramProgressDto implements ProgramProgressView {
  @ApiProperty() programId!: string;
  @ApiProperty() minutesPerHour!: number;
  @ApiProperty({ description: '学时记录合计（秒，全部来源）' }) seconds!: number;
  @ApiProperty({ description: '学时（按项目每学时分钟数折算，保留一位小数）' }) hours!: number;
  @ApiProperty({ type: HoursBySourceDto }) bySource!: HoursBySourceDto;
  @ApiProperty({ type: [CourseProgressDto] }) courses!: CourseProgressDto[];
}

export class MyProgressDto implements MyProgressView {
  @ApiProperty({ type: [ProgramProgressDto] }) programs!: ProgramProgressDto[];
}

export class StudySessionSummaryDto implements StudySessionSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() lessonId!: string;
  @ApiProperty() lessonTitle!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty({ enum: STATUSES }) status!: StudySessionSummaryView['status'];
  @ApiPropertyOptional() endReason?: string;
  @ApiProperty() startedAt!: string;
  @ApiPropertyOptional() endedAt?: string;
  @ApiPropertyOptional() device?: string;
  @ApiProperty() creditedSeconds!: number;
  @ApiProperty() settledSeconds!: number;
  @ApiProperty() heldSeconds!: number;
  @ApiProperty() voidedSeconds!: number;
}

export class StudySessionListDto {
  @ApiProperty({ type: [StudySessionSummaryDto] }) items!: StudySessionSummaryDto[];
}

export class CheckAttemptDto {
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['match', 'mismatch', 'no-face', 'several-faces', 'bad-frame', 'replayed', 'answered'] }) outcome!: CheckRecordView['attempts'][number]['outcome'];
  @ApiProperty({ type: Number, nullable: true }) distance!: number | null;
  @ApiPropertyOptional() captureId?: string;
}

export class CheckRecordDto implements CheckRecordView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['face', 'prompt'] }) kind!: 'face' | 'prompt';
  @ApiPropertyOptional({ enum: ['session-start', 'random', 'lesson-end'] }) reason?: CheckRecordView['reason'];
  @ApiProperty({ enum: CHECK_STATUSES }) status!: CheckRecordView['status'];
  @ApiProperty() issuedAt!: string;
  @ApiProperty() deadline!: string;
  @ApiPropertyOptional() resolvedAt?: string;
  @ApiProperty({ type: [CheckAttemptDto] }) attempts!: CheckAttemptDto[];
}

export class RefusalRecordDto implements RefusalRecordView {
  @ApiProperty() seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
  @ApiProperty() seconds!: number;
}

export class StudySessionRecordDto implements StudySessionRecordView {
  @ApiProperty({ type: StudySessionSummaryDto }) session!: StudySessionSummaryDto;
  @ApiProperty({ type: [CheckRecordDto] }) checks!: CheckRecordDto[];
  @ApiProperty({ type: [RefusalRecordDto] }) refusals!: RefusalRecordDto[];
}

export class SessionListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
