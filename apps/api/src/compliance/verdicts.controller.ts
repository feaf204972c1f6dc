import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { VerdictService } from '@app/compliance';
import { VerdictDto, VerdictListDto, VerdictQueryDto } from './compliance.dto';

@ApiTags('合规判定 compliance verdicts')
@ApiBearerAuth()
@Controller()
export class VerdictsController {
  constructor(private readonly verdicts: VerdictService) {}

  @Roles('institution', 'auditor', 'admin')
  @Get('compliance/verdicts')
  @ApiOperation({ summary: '学员合规判定列表（可按培训项目、结果筛选；培训机构：本机构学员；监管部门：辖区内）' })
  @ApiOkResponse({ type: VerdictListDto })
  async list(@CurrentUser() user: AuthUser, @Query() q: VerdictQueryDto): Promise<VerdictListDto> {
    const page = await this.verdicts.list(user, { programId: q.programId, status: q.status, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    const names = await this.verdicts.namesOf(user, page.items.map((v) => v.traineeId));
    return { items: page.items.map((v) => VerdictDto.from(v, names.get(v.traineeId))), total: page.total };
  }

  @Roles('institution', 'auditor', 'admin')
  @Get('compliance/verdicts/trainees/:traineeId')
  @ApiOperation({ summary: '某学员的合规判定：结果、每一条原因及依据、所用规则集版本' })
  @ApiOkResponse({ type: VerdictDto })
  async forTrainee(@CurrentUser() user: AuthUser, @Param('traineeId') traineeId: string): Promise<VerdictDto> {
    return VerdictDto.from(await this.verdicts.forTrainee(user, traineeId));
  }

  @Roles('trainee')
  @Get('compliance/me/verdicts')
  @ApiOperation({ summary: '我的合规判定（每个培训项目一条）：还差什么、截止日期' })
  @ApiOkResponse({ type: VerdictListDto })
  async mine(@CurrentUser() user: AuthUser): Promise<VerdictListDto> {
    const items = (await this.verdicts.mine(user)).map((v) => VerdictDto.from(v));
    return { items, total: items.length };
  }
}
