import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, OrganisationRepository, Roles, tenantScopeOf } from '@app/identity';
import { OrganisationListDto, OrganisationDto, OrganisationQueryDto } from './organisation.dto';

@ApiTags('单位 organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationRepository) {}

  @Roles('admin', 'auditor', 'institution')
  @Get()
  @ApiOperation({
    summary: '单位列表：管理员看全部；监管部门看本辖区；培训机构看本机构及所在地区的企业',
  })
  @ApiOkResponse({ type: OrganisationListDto })
  async list(@CurrentUser() user: AuthUser, @Query() query: OrganisationQueryDto): Promise<OrganisationListDto> {
    return { items: (await this.organisations.listVisible(tenantScopeOf(user), query.kind)).map(OrganisationDto.from) };
  }
}
