import { Body, Controller, Get, HttpCode, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AUDIT_EXPORT_MAX_ROWS, AuditChainStore, AuditQuery, AuditStatus, AuditTrail, auditError, auditWorkbook, chainState, exportCheckpoint } from '@app/audit';
import { auditActorOf as actorOf, auditReadScopeOf, AuthUser, CurrentUser, Roles, XLSX_CONTENT_TYPE } from '@app/identity';
import { AuditPageQueryDto, AuditRecordDto, AuditRecordPageDto, AuditSearchQueryDto, AuditStatusDto, AuditVerifyReportDto, ExportedCheckpointDto } from './audit.dto';

/**
 * The log for administrators and auditors. The chain's integrity is a statement about the whole
 * log (partitions, sequence numbers, hashes), carrying no tenant's data, so every auditor sees the
 * same; the records themselves are read within the reader's jurisdiction.
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
    private readonly query: AuditQuery,
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

  @Get('records')
  @ApiOperation({ summary: '查询审计记录：按操作人、对象、操作、所属机构或区划、时间段筛选，最新在前；监管部门仅见本辖区' })
  @ApiOkResponse({ type: AuditRecordPageDto })
  async records(@CurrentUser() user: AuthUser, @Query() q: AuditPageQueryDto): Promise<AuditRecordPageDto> {
    const page = await this.query.search(auditReadScopeOf(user), q.toSearch(), q.offset ?? 0, q.limit ?? 50);
    return { items: page.items.map(AuditRecordDto.from), total: page.total, offset: page.offset, limit: page.limit };
  }

  @Get('records/export')
  @ApiOperation({ summary: `导出审计记录（.xlsx，筛选条件同查询，最多 ${AUDIT_EXPORT_MAX_ROWS} 条；导出本身记入审计日志）` })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async export(@CurrentUser() user: AuthUser, @Query() q: AuditSearchQueryDto): Promise<StreamableFile> {
    const scope = auditReadScopeOf(user);
    const search = q.toSearch();
    const { content, count } = await auditWorkbook(this.query.rows(scope, search));
    await this.trail.recordRead(actorOf(user), {
      action: 'audit.export',
      target: { type: 'audit-log', id: 'records' },
      tenant: scope.kind === 'region' ? { regionCode: user.regionCode } : {},
      after: { ...search, count, truncated: count >= AUDIT_EXPORT_MAX_ROWS },
    });
    return new StreamableFile(content, {
      type: XLSX_CONTENT_TYPE,
      length: content.length,
      disposition: `attachment; filename="audit-log.xlsx"; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`,
    });
  }

  private async latestOrThrow() {
    const cp = await this.store.latestCheckpoint();
    if (!cp) throw auditError('AUDIT_NO_CHECKPOINT');
    return cp;
  }
}
