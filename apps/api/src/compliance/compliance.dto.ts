import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsMongoId, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  EXAM_ORGANISERS,
  ExamOrganiser,
  REASON_CODES,
  ReasonCode,
  ReasonSeverity,
  RuleSetBody,
  RuleSetPreview,
  RuleSetVersion,
  StoredVerdict,
  Strictness,
  VERDICT_STATUS_NAMES,
  VERDICT_STATUSES,
  VerdictStatus,
} from '@app/compliance';

const NOT_BLANK = /\S/;

// The rule set's shape for the OpenAPI document and the console's types. Requests are checked by
// ruleSetProblems (libs/compliance), which names every bad field in zh-CN, not by class-validator.
export class ShareRequirementDto {
  @ApiProperty({ description: '最低占比 0–1（0.6 即 60%）' }) min!: number;
  @ApiProperty({ enum: ['principle', 'strict'], description: 'principle 原则上（有书面理由可放行）/ strict 必须' }) strictness!: Strictness;
  @ApiProperty({ description: '依据（文件与条款）' }) source!: string;
}

export class CategoryRulesDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() minHours!: number;
  @ApiProperty({ description: '超过部分不计学时、不予补贴' }) maxHours!: number;
  @ApiPropertyOptional({ type: ShareRequirementDto }) offlineShare?: ShareRequirementDto;
  @ApiPropertyOptional({ type: ShareRequirementDto }) practicalShare?: ShareRequirementDto;
  @ApiProperty() electiveMinHours!: number;
  @ApiProperty() source!: string;
}

export class ExamRulesDto {
  @ApiProperty() required!: boolean;
  @ApiProperty({ enum: EXAM_ORGANISERS, description: 'separate 培考分离（主管部门出题监考）/ institution 施教机构 / joint 联合组织' }) organiser!: ExamOrganiser;
  @ApiProperty() retakesAllowed!: number;
  @ApiProperty() passMark!: number;
  @ApiPropertyOptional() minCoverage?: number;
  @ApiPropertyOptional() minPassRate?: number;
  @ApiProperty() source!: string;
}

export class RuleDeadlineDto {
  @ApiProperty({ example: '2025-04-30' }) date!: string;
  @ApiProperty() description!: string;
  @ApiProperty() source!: string;
}

export class RetrainingCreditDto {
  @ApiProperty() description!: string;
  @ApiProperty() source!: string;
}

export class RuleSetBodyDto {
  @ApiProperty({ example: 45 }) minutesPerHour!: number;
  @ApiProperty({ type: [CategoryRulesDto] }) categories!: CategoryRulesDto[];
  @ApiProperty() requiredCoursesMustFinish!: boolean;
  @ApiProperty({ type: ExamRulesDto }) exam!: ExamRulesDto;
  @ApiProperty({ type: RuleDeadlineDto }) completionDeadline!: RuleDeadlineDto;
  @ApiProperty({ type: [RuleDeadlineDto] }) deadlines!: RuleDeadlineDto[];
  @ApiProperty({ type: RetrainingCreditDto }) retrainingCredit!: RetrainingCreditDto;
}

export class RuleSetVersionDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() programCode!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: RuleSetBodyDto }) body!: RuleSetBodyDto;
  @ApiProperty() note!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: Date;

  static from(v: RuleSetVersion): RuleSetVersionDto {
    return { ...v, body: v.body as RuleSetBodyDto };
  }
}

export class RuleSetVersionListDto {
  @ApiProperty({ type: [RuleSetVersionDto] }) items!: RuleSetVersionDto[];
}

export class RuleSetDraftDto {
  @ApiProperty({ type: RuleSetBodyDto, description: '完整的规则集草稿（逐项校验，错误按字段列出）' }) @IsObject({ message: '规则集须为对象' }) body!: RuleSetBody;
}

export class SaveRuleSetDto extends RuleSetDraftDto {
  @ApiProperty({ description: '编辑所基于的版本号：期间他人已保存新版本时拒绝保存' }) @Type(() => Number) @IsInt({ message: '版本号须为整数' }) @Min(1) baseVersion!: number;
  @ApiProperty({ description: '修改说明（记入审计日志）' }) @IsString({ message: '请填写修改说明' }) @Matches(NOT_BLANK, { message: '请填写修改说明（将记入审计日志）' }) @MaxLength(2000) note!: string;
}

export class RuleSetProblemDto {
  @ApiProperty({ example: 'categories[0].minHours' }) field!: string;
  @ApiProperty() message!: string;
}

export class PreviewExampleDto {
  @ApiProperty() traineeId!: string;
  @ApiProperty({ enum: VERDICT_STATUSES }) from!: VerdictStatus;
  @ApiProperty({ enum: VERDICT_STATUSES }) to!: VerdictStatus;
  @ApiProperty({ type: [String] }) reasons!: string[];
}

export class RuleSetPreviewDto {
  @ApiProperty() programId!: string;
  @ApiProperty() fromVersion!: number;
  @ApiProperty({ description: '按草稿重新判定的学员数' }) judged!: number;
  @ApiProperty({ description: '判定结果会改变的学员数' }) flips!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: '“原结果→新结果” → 人数', example: { 'complete→in_progress': 3 } })
  byTransition!: Record<string, number>;
  @ApiProperty({ type: [PreviewExampleDto] }) examples!: PreviewExampleDto[];
  @ApiProperty({ type: [RuleSetProblemDto], description: '草稿的问题；非空时不会计算变化' }) problems!: RuleSetProblemDto[];

  static from(p: RuleSetPreview): RuleSetPreviewDto {
    return { ...p, examples: p.examples.map((e) => ({ ...e })), problems: [...p.problems] };
  }
}

export class VerdictReasonDto {
  @ApiProperty({ enum: REASON_CODES }) code!: ReasonCode;
  @ApiProperty({ enum: ['unmet', 'violation', 'warning'], description: 'unmet 尚未完成 / violation 不合规 / warning 提示' }) severity!: ReasonSeverity;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() source?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
}

export class VerdictSecondsDto {
  @ApiProperty() online!: number;
  @ApiProperty() offline!: number;
  @ApiProperty() practical!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ description: '计入（可予补贴）的秒数：超过最高学时的部分不计' }) creditable!: number;
}

export class VerdictExamDto {
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional() best?: number;
  @ApiProperty() passed!: boolean;
}

export class AlsoTrainingInDto {
  @ApiProperty() traineeId!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() programCode!: string;
}

export class VerdictDto {
  @ApiProperty() id!: string;
  @ApiProperty() traineeId!: string;
  @ApiPropertyOptional({ description: '学员姓名（列表中给出）' }) traineeName?: string;
  @ApiProperty() programId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ enum: VERDICT_STATUSES }) status!: VerdictStatus;
  @ApiProperty({ example: '培训中' }) statusName!: string;
  @ApiProperty({ description: '判定所依据的规则集版本' }) ruleSetVersion!: number;
  @ApiProperty({ type: [VerdictReasonDto] }) reasons!: VerdictReasonDto[];
  @ApiProperty({ type: VerdictSecondsDto }) seconds!: VerdictSecondsDto;
  @ApiProperty({ type: VerdictExamDto }) exam!: VerdictExamDto;
  @ApiProperty({ type: [AlsoTrainingInDto], description: '同一人（身份证号）在其他培训项目中的学员记录（避免重复培训）' }) alsoTrainingIn!: AlsoTrainingInDto[];
  @ApiProperty({ description: '判定输入的摘要：同样的输入总得到同样的判定' }) inputsHash!: string;
  @ApiProperty() judgedAt!: Date;

  static from(v: StoredVerdict, traineeName?: string): VerdictDto {
    return {
      id: v.id,
      traineeId: v.traineeId,
      ...(traineeName ? { traineeName } : {}),
      programId: v.programId,
      institutionId: v.institutionId,
      category: v.category,
      status: v.status,
      statusName: VERDICT_STATUS_NAMES[v.status],
      ruleSetVersion: v.ruleSetVersion,
      reasons: v.verdict.reasons.map((r) => ({ ...r, details: r.details && { ...r.details } })),
      seconds: { ...v.verdict.seconds },
      exam: { ...v.verdict.exam },
      alsoTrainingIn: v.alsoTrainingIn.map((a) => ({ ...a })),
      inputsHash: v.inputsHash,
      judgedAt: v.judgedAt,
    };
  }
}

export class VerdictListDto {
  @ApiProperty({ type: [VerdictDto] }) items!: VerdictDto[];
  @ApiProperty() total!: number;
}

export class VerdictQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '培训项目标识不正确' }) programId?: string;
  @ApiPropertyOptional({ enum: VERDICT_STATUSES }) @IsOptional() @IsIn(VERDICT_STATUSES, { message: '判定结果只能是 complete / in_progress / non_compliant' }) status?: VerdictStatus;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt({ message: '每页条数须为整数' }) @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt({ message: '偏移量须为整数' }) @Min(0) offset?: number;
}
