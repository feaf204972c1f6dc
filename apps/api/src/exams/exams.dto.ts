import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsIn, IsMongoId, IsNumber, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { EXAM_ORGANISERS, ExamOrganiser } from '@app/compliance';
import { ExamSitting, Scheduled, SITTING_KIND_NAMES, SITTING_KINDS, SittingKind } from '@app/exams';

const NOT_BLANK = /\S/;

export class CreateSittingDto {
  @ApiProperty({ enum: SITTING_KINDS, description: 'first 结业考试 / retake 补考（仅限未通过且尚有补考机会的学员）' }) @IsIn(SITTING_KINDS, { message: '考试类型只能是结业考试（first）或补考（retake）' }) kind!: SittingKind;
  @ApiProperty({ example: 'YC-2025-01-A', description: '试卷编号：每个班次单独出卷' }) @IsString() @Matches(NOT_BLANK, { message: '请填写试卷编号' }) @MaxLength(50, { message: '试卷编号不能超过 50 个字符' }) paperCode!: string;
  @ApiProperty({ example: '工伤预防培训结业考试（矿山班组长）' }) @IsString() @Matches(NOT_BLANK, { message: '请填写试卷名称' }) @MaxLength(100, { message: '试卷名称不能超过 100 个字符' }) paperTitle!: string;
  @ApiProperty({ example: '2025-06-05T01:00:00.000Z' }) @Type(() => Date) @IsDate({ message: '开始时间不合法' }) startsAt!: Date;
  @ApiProperty({ example: '2025-06-05T03:00:00.000Z' }) @Type(() => Date) @IsDate({ message: '结束时间不合法' }) endsAt!: Date;
  @ApiProperty({ example: '伊春市应急管理局考试中心' }) @IsString() @Matches(NOT_BLANK, { message: '请填写考试地点' }) @MaxLength(200) location!: string;
}

export class ResultRowDto {
  @ApiProperty() @IsMongoId({ message: '学员标识不正确' }) traineeId!: string;
  @ApiPropertyOptional({ description: '0–100 分，最小单位 0.5 分' }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '成绩须为数字' }) score?: number;
  @ApiPropertyOptional({ description: '缺考' }) @IsOptional() @IsBoolean({ message: '缺考须为是或否' }) absent?: boolean;
}

export class RecordResultsDto {
  @ApiProperty({ type: [String], example: ['王监考', '李监考'], description: '监考人员' }) @IsArray({ message: '监考人员须为列表' }) @ArrayMaxSize(20) @IsString({ each: true, message: '监考人员姓名须为文字' }) invigilators!: string[];
  @ApiProperty({ type: [ResultRowDto], description: '每名考生一行：成绩或缺考' }) @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ResultRowDto) results!: ResultRowDto[];
}

export class CandidateDto {
  @ApiProperty() traineeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: '第几次考试：1 为结业考试，2 起为补考' }) attempt!: number;
}

export class CandidateResultDto {
  @ApiProperty() traineeId!: string;
  @ApiPropertyOptional() score?: number;
  @ApiProperty() absent!: boolean;
  @ApiProperty() passed!: boolean;
}

export class SittingDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() classId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty({ enum: EXAM_ORGANISERS }) organiser!: ExamOrganiser;
  @ApiProperty() ruleSetVersion!: number;
  @ApiProperty() passMark!: number;
  @ApiProperty({ enum: SITTING_KINDS }) kind!: SittingKind;
  @ApiProperty({ example: '结业考试' }) kindName!: string;
  @ApiProperty() paperCode!: string;
  @ApiProperty() paperTitle!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty() location!: string;
  @ApiProperty({ type: [CandidateDto] }) candidates!: CandidateDto[];
  @ApiProperty({ enum: ['scheduled', 'recorded'] }) status!: 'scheduled' | 'recorded';
  @ApiProperty({ type: [String] }) invigilators!: string[];
  @ApiProperty({ type: [CandidateResultDto] }) results!: CandidateResultDto[];
  @ApiPropertyOptional() recordedAt?: Date;

  static from(s: ExamSitting): SittingDto {
    return {
      id: s.id,
      programId: s.programId,
      classId: s.classId,
      institutionId: s.institutionId,
      organiser: s.organiser,
      ruleSetVersion: s.ruleSetVersion,
      passMark: s.passMark,
      kind: s.kind,
      kindName: SITTING_KIND_NAMES[s.kind],
      paperCode: s.paperCode,
      paperTitle: s.paperTitle,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      location: s.location,
      candidates: s.candidates.map((c) => ({ traineeId: c.traineeId, name: c.name, attempt: c.attempt })),
      status: s.status,
      invigilators: [...s.invigilators],
      results: s.results.map((r) => ({ ...r })),
      recordedAt: s.recordedAt,
    };
  }
}

export class SittingListDto {
  @ApiProperty({ type: [SittingDto] }) items!: SittingDto[];
}

export class ExcludedCandidateDto {
  @ApiProperty() traineeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['NOT_ELIGIBLE_HOURS', 'ALREADY_PASSED', 'RETAKES_USED', 'NEEDS_FIRST_SITTING', 'NOT_A_RETAKE', 'ALREADY_SCHEDULED'] }) refusal!: string;
  @ApiProperty() message!: string;
}

export class ScheduledDto {
  @ApiProperty({ type: SittingDto }) sitting!: SittingDto;
  @ApiProperty({ type: [ExcludedCandidateDto], description: '未安排参加本场考试的学员及原因' }) excluded!: ExcludedCandidateDto[];

  static from(s: Scheduled): ScheduledDto {
    return { sitting: SittingDto.from(s.sitting), excluded: s.excluded.map((e) => ({ ...e })) };
  }
}

export class ExamClassDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() category!: string;
  @ApiProperty() location!: string;
  @ApiProperty() startDate!: string;
  @ApiProperty() endDate!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ enum: EXAM_ORGANISERS }) organiser!: ExamOrganiser;
}

export class ExamClassListDto {
  @ApiProperty({ type: [ExamClassDto] }) items!: ExamClassDto[];
}
