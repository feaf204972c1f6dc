import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsMongoId,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { Course, CourseAudience, ElectiveTarget, Lesson, LessonStatus, Requirement } from '@app/catalog';

/** Not empty and not only spaces: a name of blanks is no name. */
const NOT_BLANK = /\S/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_MESSAGE = '日期格式应为 YYYY-MM-DD';

export class CourseAudienceDto implements CourseAudience {
  @ApiProperty({ example: '矿山', description: '本项目的行业，或 * 表示全部行业' })
  @IsString({ message: '行业须为字符串' })
  @IsNotEmpty({ message: '请选择行业' })
  @MaxLength(50)
  industry!: string;

  @ApiProperty({ example: 'team_leader', description: '本项目的人员类别代码，或 * 表示全部类别' })
  @IsString({ message: '人员类别须为字符串' })
  @IsNotEmpty({ message: '请选择人员类别' })
  @MaxLength(50)
  category!: string;

  @ApiProperty({ enum: ['required', 'elective'] })
  @IsIn(['required', 'elective'], { message: '必修/选修只能是 required 或 elective' })
  requirement!: Requirement;
}

export class CreateCourseDto {
  @ApiProperty() @IsMongoId({ message: '培训项目标识不正确' }) programId!: string;

  @ApiProperty({ example: 'YC-LAW-02' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, { message: '课程编号只能包含字母、数字、-和_，不超过 40 个字符' })
  code!: string;

  @ApiProperty({ example: '事故案例警示教育' })
  @IsString({ message: '课程名称须为字符串' })
  @Matches(NOT_BLANK, { message: '请输入课程名称' })
  @MaxLength(100, { message: '课程名称不能超过 100 个字符' })
  title!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000, { message: '课程简介不能超过 2000 个字符' }) description?: string;

  @ApiProperty({ type: [CourseAudienceDto] })
  @IsArray({ message: '适用对象须为数组' })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CourseAudienceDto)
  audiences!: CourseAudienceDto[];

  @ApiPropertyOptional({ example: '2025-03-31', description: '本课程的完成截止日期；不填则采用项目的截止日期' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  deadline?: string;
}

export class UpdateCourseDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NOT_BLANK, { message: '请输入课程名称' }) @MaxLength(100, { message: '课程名称不能超过 100 个字符' }) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ApiPropertyOptional({ type: [CourseAudienceDto] })
  @IsOptional()
  @IsArray({ message: '适用对象须为数组' })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CourseAudienceDto)
  audiences?: CourseAudienceDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'null 清除课程截止日期' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: DATE_MESSAGE })
  deadline?: string | null;
}

export class CourseQueryDto {
  @ApiProperty() @IsMongoId({ message: '培训项目标识不正确' }) programId!: string;
}

export class FailureDto {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class LessonDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() position!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['draft', 'processing', 'published', 'failed'] }) status!: LessonStatus;
  @ApiPropertyOptional({ description: '视频时长（秒），由 ffprobe 探测' }) durationSeconds?: number;
  @ApiPropertyOptional({ description: '最近一次上传的处理任务' }) jobId?: string;
  @ApiPropertyOptional({ description: '最近一次上传被拒绝的原因' }) failure?: FailureDto;

  static from(l: Lesson): LessonDto {
    return { id: l.id, courseId: l.courseId, position: l.position, title: l.title, status: l.status, durationSeconds: l.durationSeconds, jobId: l.jobId, failure: l.failure };
  }
}

export class CourseDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [CourseAudienceDto] }) audiences!: CourseAudienceDto[];
  @ApiPropertyOptional() deadline?: string;
  @ApiProperty({ type: [LessonDto] }) lessons!: LessonDto[];
  @ApiProperty({ description: '已发布课时的视频总时长（秒）' }) publishedSeconds!: number;

  static from(c: Course, lessons: Lesson[]): CourseDto {
    return {
      id: c.id,
      programId: c.programId,
      code: c.code,
      title: c.title,
      description: c.description,
      audiences: c.audiences,
      deadline: c.deadline,
      lessons: lessons.map(LessonDto.from),
      publishedSeconds: lessons.reduce((s, l) => s + (l.status === 'published' ? (l.durationSeconds ?? 0) : 0), 0),
    };
  }
}

export class CourseListDto {
  @ApiProperty({ type: [CourseDto] }) items!: CourseDto[];
}

export class CreateLessonDto {
  @ApiProperty({ example: '《安全生产法》要点' })
  @IsString({ message: '课时名称须为字符串' })
  @Matches(NOT_BLANK, { message: '请输入课时名称' })
  @MaxLength(100, { message: '课时名称不能超过 100 个字符' })
  title!: string;
}

export class ReorderLessonsDto {
  @ApiProperty({ type: [String], description: '本课程全部课时的新顺序' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsMongoId({ each: true, message: '课时标识不正确' })
  lessonIds!: string[];
}

export class ElectiveTargetDto implements ElectiveTarget {
  @ApiProperty({ example: '*' }) @IsString() @IsNotEmpty() @MaxLength(50) industry!: string;
  @ApiProperty({ example: '*' }) @IsString() @IsNotEmpty() @MaxLength(50) category!: string;
  @ApiProperty({ example: 2 }) @IsNumber({}, { message: '选修学时须为数字' }) @Min(0, { message: '选修学时不能为负' }) @Max(200) minHours!: number;
}

export class UpdateProgramStudyDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: '2025-04-30' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: DATE_MESSAGE })
  completionDeadline?: string | null;

  @ApiPropertyOptional({ type: [ElectiveTargetDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ElectiveTargetDto)
  electiveTargets?: ElectiveTargetDto[];
}

export class MyCourseDto {
  @ApiProperty({ type: CourseDto }) course!: CourseDto;
  @ApiProperty({ enum: ['required', 'elective'] }) requirement!: Requirement;
  @ApiPropertyOptional({ description: '完成截止日期（课程或项目）' }) deadline?: string;
}

export class HoursTargetDto {
  @ApiProperty({ description: '最低学时' }) minHours!: number;
  @ApiProperty({ description: '最高学时' }) maxHours!: number;
  @ApiPropertyOptional({ description: '线下培训学时最低占比（0–1）' }) offlineShare?: number;
  @ApiPropertyOptional({ description: '实操学时最低占比（0–1）' }) practicalShare?: number;
}

export class MyProgramCoursesDto {
  @ApiProperty() programId!: string;
  @ApiProperty() programName!: string;
  @ApiProperty() industry!: string;
  @ApiProperty() category!: string;
  @ApiProperty() categoryName!: string;
  @ApiProperty() minutesPerHour!: number;
  @ApiProperty({ description: '选修最低学时' }) electiveMinHours!: number;
  @ApiPropertyOptional({ type: HoursTargetDto, description: '本人人员类别的培训学时要求（项目规则未规定时不返回）' }) hoursTarget?: HoursTargetDto;
  @ApiProperty({ type: [MyCourseDto] }) required!: MyCourseDto[];
  @ApiProperty({ type: [MyCourseDto] }) elective!: MyCourseDto[];
}

export class MyCoursesDto {
  @ApiProperty({ type: [MyProgramCoursesDto] }) programs!: MyProgramCoursesDto[];
}
