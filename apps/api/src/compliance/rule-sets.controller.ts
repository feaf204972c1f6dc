import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { auditActorOf, AuthUser, CurrentUser, Roles } from '@app/identity';
import { complianceError, RuleSetService } from '@app/compliance';
import { RuleSetDraftDto, RuleSetPreviewDto, RuleSetVersionDto, RuleSetVersionListDto, SaveRuleSetDto } from './compliance.dto';

/** A path's version number; anything else names no version (404, never a cast error). */
function versionNumber(programId: string, raw: string): number {
  const n = Number(raw);
  if (!/^\d{1,6}$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw complianceError('RULE_SET_VERSION_NOT_FOUND', { programId, version: raw });
  return n;
}

@ApiTags('合规规则集 compliance rule sets')
@ApiBearerAuth()
@Controller('compliance/rule-sets')
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetService) {}

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Get()
  @ApiOperation({ summary: '各培训项目的现行规则集（学时、线下与实训占比、考试、期限及其依据）' })
  @ApiOkResponse({ type: RuleSetVersionListDto })
  async list(): Promise<RuleSetVersionListDto> {
    return { items: (await this.ruleSets.currentAll()).map(RuleSetVersionDto.from) };
  }

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Get(':programId')
  @ApiOperation({ summary: '某培训项目的现行规则集' })
  @ApiOkResponse({ type: RuleSetVersionDto })
  async current(@Param('programId') programId: string): Promise<RuleSetVersionDto> {
    return RuleSetVersionDto.from(await this.ruleSets.current(programId));
  }

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Get(':programId/versions')
  @ApiOperation({ summary: '规则集的全部版本（新的在前）：每个判定都注明所依据的版本' })
  @ApiOkResponse({ type: RuleSetVersionListDto })
  async versions(@Param('programId') programId: string): Promise<RuleSetVersionListDto> {
    return { items: (await this.ruleSets.versions(programId)).map(RuleSetVersionDto.from) };
  }

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Get(':programId/versions/:version')
  @ApiOperation({ summary: '规则集的某一版本' })
  @ApiOkResponse({ type: RuleSetVersionDto })
  async version(@Param('programId') programId: string, @Param('version') version: string): Promise<RuleSetVersionDto> {
    return RuleSetVersionDto.from(await this.ruleSets.version(programId, versionNumber(programId, version)));
  }

  @Roles('admin')
  @Post(':programId/versions')
  @ApiOperation({ summary: '保存为新版本（逐项校验；须基于现行版本并填写修改说明）：学员判定随后按新版本重新计算' })
  @ApiCreatedResponse({ type: RuleSetVersionDto })
  async save(@CurrentUser() user: AuthUser, @Param('programId') programId: string, @Body() dto: SaveRuleSetDto): Promise<RuleSetVersionDto> {
    return RuleSetVersionDto.from(await this.ruleSets.saveVersion(auditActorOf(user), programId, dto.baseVersion, dto.body, dto.note));
  }

  @Roles('admin')
  @Post(':programId/preview')
  @HttpCode(200)
  @ApiOperation({ summary: '保存前预览：按草稿重新判定已有判定的学员，统计结果会改变的人数（不写入任何数据）' })
  @ApiOkResponse({ type: RuleSetPreviewDto })
  async preview(@Param('programId') programId: string, @Body() dto: RuleSetDraftDto): Promise<RuleSetPreviewDto> {
    return RuleSetPreviewDto.from(await this.ruleSets.preview(programId, dto.body));
  }
}
