import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsString, Matches, Min, ValidateNested } from 'class-validator';
import type { AuditProblem, ExportedCheckpoint, VerifyReport } from '@app/audit';

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
