import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsMongoId, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { auditActionName, AuditRecord, AuditSearch, AuditProblem, ExportedCheckpoint, VerifyReport } from '@app/audit';

export class AuditTargetDto {
  @ApiProperty({ description: '对象类型，如 ledger-entry' }) type!: string;
  @ApiProperty() id!: string;
}

export class AuditProblemDto {
  @ApiProperty({ enum: ['edited', 'removed', 'inserted', 'reordered', 'rewritten', 'checkpoint'] })
  kind!: AuditProblem['kind'];
  @ApiPropertyOptional({ description: '链：写入进程.分片，如 api.3' }) partition?: string;
  @ApiPropertyOptional({ description: '第一条有问题的记录的序号' }) seq?: number;
  @ApiPropertyOptional() recordId?: string;
  @ApiPropertyOptional() checkpoint?: number;
  @ApiPropertyOptional({ type: AuditTargetDto, description: '受审计链担保的数据（如学时台账记录）中有问题的一条' }) target?: AuditTargetDto;
  @ApiProperty() message!: string;
}

export class AuditCheckpointRefDto {
  @ApiProperty() number!: number;
  @ApiProperty() at!: string;
}

export class AuditVerifyReportDto {
  @ApiProperty({ description: '所有分区的哈希链、链头与检查点均一致' }) intact!: boolean;
  @ApiProperty() records!: number;
  @ApiProperty() partitions!: number;
  @ApiPropertyOptional({ description: '与审计记录摘要核对过的学时台账记录数' }) targets?: number;
  @ApiPropertyOptional({ type: AuditCheckpointRefDto, description: '校验所依据的最新检查点（完整时即“截至检查点 N 完整”）' }) checkpoint?: AuditCheckpointRefDto;
  @ApiProperty({ type: [AuditProblemDto] }) problems!: AuditProblemDto[];

  static from(r: VerifyReport): AuditVerifyReportDto {
    return { intact: r.intact, records: r.records, partitions: r.partitions, targets: r.targets, checkpoint: r.checkpoint, problems: r.problems.map((p) => ({ ...p })) };
  }
}

export class AuditStatusDto {
  @ApiProperty({ enum: ['intact', 'broken', 'unverified'] }) chain!: 'intact' | 'broken' | 'unverified';
  @ApiPropertyOptional() checkedAt?: string;
  @ApiPropertyOptional({ type: AuditVerifyReportDto }) report?: AuditVerifyReportDto;
}

export class ChainHeadDto {
  @Matches(/^[a-z][a-z0-9-]{0,31}\.\d{1,3}$/) @ApiProperty() partition!: string;
  @IsInt() @Min(0) @ApiProperty() seq!: number;
  @Matches(/^[0-9a-f]{64}$/) @ApiProperty() hash!: string;
}

/** An exported checkpoint as the auditor kept it; the signature is what is trusted, not this shape. */
export class ExportedCheckpointDto implements ExportedCheckpoint {
  @IsIn([1]) @ApiProperty({ enum: [1] }) v!: 1;
  @IsInt() @Min(1) @ApiProperty() number!: number;
  @IsString() @ApiProperty() at!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ChainHeadDto) @ApiProperty({ type: [ChainHeadDto] }) heads!: ChainHeadDto[];
  @Matches(/^[0-9a-f]{64}$/) @ApiProperty() root!: string;
  @Matches(/^[0-9a-f]{64}$/) @ApiProperty() previous!: string;
  @Matches(/^[0-9a-f]{16}$/) @ApiProperty() keyId!: string;
  @IsString() @ApiProperty() signature!: string;
  @IsString() @ApiProperty() publicKey!: string;
  @IsIn(['Ed25519']) @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
}

/** A search of the log. Auditors get their jurisdiction only, whatever they ask for. */
export class AuditSearchQueryDto {
  @ApiPropertyOptional({ description: '操作人（用户标识）' }) @IsOptional() @IsString() @MaxLength(64) actorId?: string;
  @ApiPropertyOptional({ description: '对象类型，如 trainee、study-session、ledger-entry' }) @IsOptional() @Matches(/^[a-z][a-z0-9-]{0,40}$/, { message: '对象类型格式不正确' }) targetType?: string;
  @ApiPropertyOptional({ description: '对象标识' }) @IsOptional() @IsString() @MaxLength(64) targetId?: string;
  @ApiPropertyOptional({ description: '操作代码；以 .* 结尾表示一类操作，如 trainee.*' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*(\.\*)?$/, { message: '操作代码格式不正确' })
  @MaxLength(80)
  action?: string;
  @ApiPropertyOptional({ description: '所属机构标识' }) @IsOptional() @IsMongoId({ message: '机构标识不正确' }) institutionId?: string;
  @ApiPropertyOptional({ description: '所属区划代码或其前缀（1–6 位数字）' }) @IsOptional() @Matches(/^\d{1,6}$/, { message: '区划代码须为 1–6 位数字' }) regionCode?: string;
  @ApiPropertyOptional({ description: '起始时间（含），ISO 8601' }) @IsOptional() @IsISO8601({ strict: true }, { message: '起始时间格式不正确' }) from?: string;
  @ApiPropertyOptional({ description: '截止时间（不含），ISO 8601' }) @IsOptional() @IsISO8601({ strict: true }, { message: '截止时间格式不正确' }) to?: string;

  toSearch(): AuditSearch {
    return {
      actorId: this.actorId,
      targetType: this.targetType,
      targetId: this.targetId,
      action: this.action,
      institutionId: this.institutionId,
      regionCode: this.regionCode,
      from: this.from ? new Date(this.from) : undefined,
      to: this.to ? new Date(this.to) : undefined,
    };
  }
}

export class AuditPageQueryDto extends AuditSearchQueryDto {
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt({ message: 'offset 须为整数' }) @Min(0) @Max(1_000_000) offset?: number;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt({ message: 'limit 须为整数' }) @Min(1) @Max(200, { message: 'limit 不能超过 200' }) limit?: number;
}

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'system'] }) kind!: 'user' | 'system';
  @ApiPropertyOptional() id?: string;
  @ApiPropertyOptional() role?: string;
  @ApiPropertyOptional() organisationId?: string;
  @ApiPropertyOptional() regionCode?: string;
  @ApiPropertyOptional({ description: '系统操作的原因' }) reason?: string;
}

export class AuditTenantDto {
  @ApiPropertyOptional() institutionId?: string;
  @ApiPropertyOptional() regionCode?: string;
}

export class AuditRecordDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ description: '操作代码' }) action!: string;
  @ApiProperty({ description: '操作名称' }) actionName!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ type: AuditTargetDto }) target!: AuditTargetDto;
  @ApiProperty({ type: AuditTenantDto }) tenant!: AuditTenantDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '修改前摘要（不含密钥，身份证号已脱敏）' }) before?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '修改后摘要' }) after?: Record<string, unknown>;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional() requestId?: string;
  @ApiPropertyOptional() ip?: string;
  @ApiProperty({ description: '链：写入进程.分片' }) partition!: string;
  @ApiProperty() seq!: number;
  @ApiProperty() hash!: string;
  @ApiPropertyOptional({ description: '对象内容的 SHA-256（学时台账记录）' }) digest?: string;

  static from(r: AuditRecord): AuditRecordDto {
    return {
      id: r.id,
      at: r.at.toISOString(),
      action: r.action,
      actionName: auditActionName(r.action),
      actor: { ...r.actor },
      target: { ...r.target },
      tenant: { ...r.tenant },
      before: r.before,
      after: r.after,
      reason: r.reason,
      requestId: r.requestId,
      ip: r.ip,
      partition: r.partition,
      seq: r.seq,
      hash: r.hash,
      digest: r.digest,
    };
  }
}

export class AuditRecordPageDto {
  @ApiProperty({ type: [AuditRecordDto] }) items!: AuditRecordDto[];
  @ApiProperty() total!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() limit!: number;
}
