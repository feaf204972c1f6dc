import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, OrganisationRepository, OrganisationService, Roles, tenantScopeOf } from '@app/identity';
import { CreateOrganisationDto, OrganisationDto, OrganisationListDto, OrganisationQueryDto } from './organisation.dto';

@ApiTags('单位 organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly service: OrganisationService,
  ) {}

  @Roles('admin')
  @Post()
  @ApiOperation({ summary: '登记单位（仅管理员）：校验统一社会信用代码；培训机构须填写基本条件，不足时须说明理由' })
  @ApiCreatedResponse({ type: OrganisationDto })
  async create(@CurrentUser() admin: AuthUser, @Body() dto: CreateOrganisationDto): Promise<OrganisationDto> {
    return OrganisationDto.from(await this.service.create(admin, dto));
  }

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
