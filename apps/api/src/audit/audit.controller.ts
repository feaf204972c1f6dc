import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditChainStore, AuditStatus, AuditTrail, auditError, chainState, exportCheckpoint } from '@app/audit';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { AuditStatusDto, AuditVerifyReportDto, ExportedCheckpointDto } from './audit.dto';

const actorOf = (user: AuthUser) => ({ kind: 'user' as const, id: user.id, role: user.role, organisationId: user.organisationId, regionCode: user.regionCode });

/**
 * The chain's integrity, for administrators and auditors. It is a statement about the whole log
 * (partitions, sequence numbers, hashes), carrying no tenant's data, so every auditor sees the same.
 */
@ApiTags('审计日志 audit')
@ApiBearerAuth()
@Roles('admin', 'auditor')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly store: AuditChainStore,
    private readonly status: AuditStatus,
    private readonly trail: AuditTrail,
  ) {}

  @Get('status')
  @ApiOperation({ summary: '审计日志链状态：最近一次定时校验的结果' })
  @ApiOkResponse({ type: AuditStatusDto })
  async chainStatus(): Promise<AuditStatusDto> {
    const last = await this.status.last();
    if (!last) return { chain: 'unverified' };
    return { chain: chainState(last.report), checkedAt: last.checkedAt.toISOString(), report: AuditVerifyReportDto.from(last.report) };
  }

  @Get('verify')
  @ApiOperation({ summary: '立即校验审计日志：回答“截至检查点 N 完整”，或指出第一处断链及其性质（修改、删除、插入、调序、改写）' })
  @ApiOkResponse({ type: AuditVerifyReportDto })
  async verify(): Promise<AuditVerifyReportDto> {
    const report = await this.store.verify();
    await this.status.save(report);
    return AuditVerifyReportDto.from(report);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: '对照审计人员保存在平台之外的检查点校验：即使整条链被改写并重新计算哈希也能发现' })
  @ApiOkResponse({ type: AuditVerifyReportDto })
  async verifyAgainst(@CurrentUser() user: AuthUser, @Body() checkpoint: ExportedCheckpointDto): Promise<AuditVerifyReportDto> {
    const report = await this.store.verify(checkpoint);
    await this.trail.recordRead(actorOf(user), {
      action: 'audit.verify.checkpoint',
      target: { type: 'audit-checkpoint', id: String(checkpoint.number) },
      tenant: {},
      after: { intact: report.intact, problems: report.problems.length },
    });
    return AuditVerifyReportDto.from(report);
  }

  @Get('checkpoints/latest')
  @ApiOperation({ summary: '导出最新的签名检查点（JSON，含公钥），供审计人员保存在平台之外' })
  @ApiOkResponse({ type: ExportedCheckpointDto })
  async latest(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<ExportedCheckpointDto> {
    const cp = await this.latestOrThrow();
    await this.trail.recordRead(actorOf(user), { action: 'audit.checkpoint.export', target: { type: 'audit-checkpoint', id: String(cp.number) }, tenant: {} });
    res.setHeader('content-disposition', `attachment; filename="audit-checkpoint-${cp.number}.json"`);
    return exportCheckpoint(cp, this.store) as ExportedCheckpointDto;
  }

  private async latestOrThrow() {
    const cp = await this.store.latestCheckpoint();
    if (!cp) throw auditError('AUDIT_NO_CHECKPOINT');
    return cp;
  }
}
