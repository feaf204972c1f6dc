import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsMongoId, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AppealRecord, OversightItem, SIGNAL_CODES, SIGNAL_NAMES, SignalCode, SUBJECT_KIND_NAMES, VOID_SCOPE_KINDS, VOID_SCOPE_NAMES, VoidRecord, VoidScopeKind, WatchRecord } from '@app/oversight';
import { ReasonDto } from '../reason.dto';
export { ReasonDto };

const NOT_BLANK = /\S/;

export class QueueQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '培训项目标识不正确' }) programId?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '培训机构标识不正确' }) institutionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '企业标识不正确' }) enterpriseId?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '班次标识不正确' }) classId?: string;
  @ApiPropertyOptional({ enum: SIGNAL_CODES }) @IsOptional() @IsIn(SIGNAL_CODES, { message: '信号代码不正确' }) signal?: SignalCode;
  @ApiPropertyOptional({ description: '起始时间（含）' }) @IsOptional() @Type(() => Date) @IsDate({ message: '起始时间不正确' }) from?: Date;
  @ApiPropertyOptional({ description: '截止时间（不含）' }) @IsOptional() @Type(() => Date) @IsDate({ message: '截止时间不正确' }) to?: Date;
  @ApiPropertyOptional({ enum: ['open', 'confirmed', 'voided'] }) @IsOptional() @IsIn(['open', 'confirmed', 'voided'], { message: '状态不正确' }) status?: 'open' | 'confirmed' | 'voided';
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt({ message: '页码须为整数' }) @Min(1, { message: '页码从 1 开始' }) page?: number;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt({ message: '每页条数须为整数' }) @Min(1, { message: '每页条数为 1–100' }) @Max(100, { message: '每页条数为 1–100' }) pageSize?: number;
}

export class FactRefDto {
  @ApiProperty() kind!: string;
  @ApiProperty() id!: string;
  @ApiPropertyOptional() note?: string;
}

export class SignalDto {
  @ApiProperty({ enum: SIGNAL_CODES }) code!: SignalCode;
  @ApiProperty() name!: string;
  @ApiProperty() strength!: number;
  @ApiProperty() detail!: string;
  @ApiProperty({ type: [FactRefDto] }) facts!: FactRefDto[];
}

export class ItemDecisionDto {
  @ApiProperty({ enum: ['confirm', 'void'] }) kind!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional() voidId?: string;
}

export class EvidenceFileDto {
  @ApiProperty() sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty() contentType!: string;
  @ApiProperty() name!: string;
}

export class AppealOutcomeDto {
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiProperty() reason!: string;
}

export class VoidEntryDto {
  @ApiProperty() creditId!: string;
  @ApiProperty() compensationId!: string;
  @ApiProperty() seconds!: number;
  @ApiProperty() source!: string;
}

export class VoidUndoneDto {
  @ApiProperty({ enum: ['reversed', 'restored'] }) kind!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional() appealId?: string;
  @ApiProperty({ type: [String], description: '恢复记录（与冲正记录一一对应）' }) restorations!: string[];
}

export class ItemDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['study-session', 'class-attendance', 'trainee-day', 'trainee'] }) subjectKind!: string;
  @ApiProperty() subjectName!: string;
  @ApiProperty() subjectId!: string;
  @ApiPropertyOptional() sessionId?: string;
  @ApiProperty() traineeId!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() regionCode!: string;
  @ApiPropertyOptional() enterpriseId?: string;
  @ApiPropertyOptional() classId?: string;
  @ApiProperty() at!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ description: '评分公式：Σ 权重 × 强度' }) formula!: string;
  @ApiProperty({ type: [SignalDto] }) signals!: SignalDto[];
  @ApiProperty({ enum: ['open', 'confirmed', 'voided'] }) status!: string;
  @ApiPropertyOptional() claimedBy?: string;
  @ApiPropertyOptional() claimedUntil?: string;
  @ApiPropertyOptional({ type: ItemDecisionDto }) decision?: ItemDecisionDto;
  @ApiProperty({ enum: VOID_SCOPE_KINDS, isArray: true, description: '可作废的范围' }) voidScopes!: VoidScopeKind[];

  static from(i: OversightItem): ItemDto {
    const kinds = VOID_SCOPE_KINDS.filter((k) => (k === 'session' ? i.subject.kind === 'study-session' : k === 'class-session' ? i.subject.kind === 'class-attendance' : k === 'day' ? i.subject.kind !== 'trainee' : true));
    return {
      id: i.id,
      subjectKind: i.subject.kind,
      subjectName: SUBJECT_KIND_NAMES[i.subject.kind],
      subjectId: i.subject.id,
      sessionId: i.subject.sessionId,
      traineeId: i.subject.owner.traineeId,
      programId: i.subject.owner.programId,
      institutionId: i.subject.owner.institutionId,
      regionCode: i.subject.owner.regionCode,
      enterpriseId: i.subject.owner.enterpriseId,
      classId: i.subject.owner.classId,
      at: new Date(i.subject.at).toISOString(),
      score: i.score,
      formula: i.formula,
      signals: i.signals.map((s) => ({ code: s.code, name: SIGNAL_NAMES[s.code], strength: s.strength, detail: s.detail, facts: [...s.facts] })),
      status: i.status,
      claimedBy: i.claim && i.claim.until.getTime() > Date.now() ? i.claim.by : undefined,
      claimedUntil: i.claim && i.claim.until.getTime() > Date.now() ? i.claim.until.toISOString() : undefined,
      decision: i.decision ? { ...i.decision, at: i.decision.at.toISOString() } : undefined,
      voidScopes: kinds,
    };
  }
}

export class ItemPageDto {
  @ApiProperty({ type: [ItemDto] }) items!: ItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ItemDetailDto extends ItemDto {
  @ApiProperty({ description: '在本辖区未处理事项中的名次（按评分）' }) rank!: number;
  @ApiProperty() openTotal!: number;
}

export class NoteDto {
  @ApiPropertyOptional() @IsOptional() @IsString({ message: '备注须为文字' }) @MaxLength(2000, { message: '备注不超过 2000 字' }) note?: string;
}

export class VoidDto {
  @ApiProperty({ enum: VOID_SCOPE_KINDS, description: Object.entries(VOID_SCOPE_NAMES).map(([k, v]) => `${k}: ${v}`).join('；') }) @IsIn(VOID_SCOPE_KINDS, { message: '作废范围不正确' }) scope!: VoidScopeKind;
  @ApiProperty() @IsString({ message: '请填写作废原因' }) @Matches(NOT_BLANK, { message: '请填写作废原因' }) @MaxLength(2000, { message: '原因不超过 2000 字' }) reason!: string;
}

export class AppealDecisionDto extends ReasonDto {
  @ApiProperty({ description: 'true：申诉成立，恢复学时；false：驳回' }) @IsBoolean({ message: '请选择申诉是否成立' }) uphold!: boolean;
}

export class AppealFieldsDto {
  @ApiProperty() @IsString({ message: '请填写申诉理由' }) @Matches(NOT_BLANK, { message: '请填写申诉理由' }) @MaxLength(4000, { message: '申诉理由不超过 4000 字' }) statement!: string;
}

export class AppealDto {
  @ApiProperty() id!: string;
  @ApiProperty() voidId!: string;
  @ApiProperty() traineeId!: string;
  @ApiProperty() by!: string;
  @ApiProperty() byRole!: string;
  @ApiProperty() statement!: string;
  @ApiProperty({ type: [EvidenceFileDto] }) evidence!: EvidenceFileDto[];
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['pending', 'upheld', 'rejected'] }) status!: string;
  @ApiPropertyOptional({ type: AppealOutcomeDto }) decision?: AppealOutcomeDto;

  static from(a: AppealRecord): AppealDto {
    return {
      id: a.id, voidId: a.voidId, traineeId: a.traineeId, by: a.by, byRole: a.byRole, statement: a.statement,
      evidence: a.evidence.map(({ sha256, size, contentType, name }) => ({ sha256, size, contentType, name })),
      at: a.at.toISOString(), status: a.status, decision: a.decision ? { ...a.decision, at: a.decision.at.toISOString() } : undefined,
    };
  }
}

export class VoidRecordDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: VOID_SCOPE_KINDS }) scope!: string;
  @ApiProperty() scopeName!: string;
  @ApiPropertyOptional() sessionId?: string;
  @ApiPropertyOptional() day?: string;
  @ApiPropertyOptional() itemId?: string;
  @ApiProperty() traineeId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ description: '作废的秒数' }) seconds!: number;
  @ApiProperty({ type: [VoidEntryDto], description: '被冲正的入账记录与对应冲正记录' }) entries!: VoidEntryDto[];
  @ApiProperty({ enum: ['active', 'reversed', 'restored'] }) status!: string;
  @ApiPropertyOptional({ type: VoidUndoneDto }) undone?: VoidUndoneDto;
  @ApiPropertyOptional({ type: AppealDto }) appeal?: AppealDto;
  @ApiProperty({ description: '本次请求是否新作出作废（重复作废为 false，不产生任何变化）' }) created!: boolean;

  static from(v: VoidRecord & { appeal?: AppealRecord }, created = false): VoidRecordDto {
    return {
      id: v.id, scope: v.scope.kind, scopeName: VOID_SCOPE_NAMES[v.scope.kind],
      sessionId: 'sessionId' in v.scope ? v.scope.sessionId : undefined, day: 'day' in v.scope ? v.scope.day : undefined,
      itemId: v.itemId, traineeId: v.traineeId, institutionId: v.institutionId, reason: v.reason, by: v.by, at: v.at.toISOString(), seconds: v.seconds,
      entries: v.entries.map((e) => ({ ...e })), status: v.status,
      undone: v.undone ? { ...v.undone, at: v.undone.at.toISOString(), restorations: [...v.undone.restorations] } : undefined,
      appeal: v.appeal ? AppealDto.from(v.appeal) : undefined, created,
    };
  }
}

export class VoidListDto {
  @ApiProperty({ type: [VoidRecordDto] }) items!: VoidRecordDto[];
}

export class VoidQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '学员标识不正确' }) traineeId?: string;
}

export class AppealListDto {
  @ApiProperty({ type: [AppealDto] }) items!: AppealDto[];
}

export class WatchBodyDto {
  @ApiProperty({ enum: ['trainee', 'institution'] }) @IsIn(['trainee', 'institution'], { message: '关注对象须为学员或培训机构' }) kind!: 'trainee' | 'institution';
  @ApiProperty() @IsMongoId({ message: '对象标识不正确' }) targetId!: string;
  @ApiProperty() @IsString({ message: '请填写原因' }) @Matches(NOT_BLANK, { message: '请填写原因' }) @MaxLength(2000, { message: '原因不超过 2000 字' }) reason!: string;
  @ApiPropertyOptional({ description: '人脸核验频次倍数（2–10，默认 3）' }) @IsOptional() @IsInt({ message: '频次倍数须为整数' }) @Min(2, { message: '频次倍数为 2–10' }) @Max(10, { message: '频次倍数为 2–10' }) factor?: number;
  @ApiPropertyOptional({ description: '关注天数（不填：直到解除）' }) @IsOptional() @IsInt({ message: '关注天数须为整数' }) @Min(1, { message: '关注天数为 1–365' }) @Max(365, { message: '关注天数为 1–365' }) days?: number;
}

export class WatchDto {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() targetId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiPropertyOptional() until?: string;
  @ApiProperty() factor!: number;
  @ApiProperty() active!: boolean;

  static from(w: WatchRecord): WatchDto {
    return { id: w.id, kind: w.kind, targetId: w.targetId, institutionId: w.institutionId, reason: w.reason, by: w.by, at: w.at.toISOString(), until: w.until?.toISOString(), factor: w.factor, active: w.active };
  }
}

export class WatchListDto {
  @ApiProperty({ type: [WatchDto] }) items!: WatchDto[];
}

export class RefreshJobDto {
  @ApiProperty() jobId!: string;
}

export class RefreshResultDto {
  @ApiProperty() items!: number;
  @ApiProperty() signals!: number;
  @ApiProperty() ms!: number;
}

export class RefreshStatusDto {
  @ApiProperty() status!: string;
  @ApiPropertyOptional({ type: RefreshResultDto }) result?: RefreshResultDto;
}

