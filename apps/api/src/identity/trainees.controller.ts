import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, identityError, Roles, TraineeRepository, TraineeService, tenantScopeOf, UserService } from '@app/identity';
import { CreatedUserDto, UserDto } from './user.dto';
import { CreateTraineeAccountDto, RegisterTraineeDto, TraineeDto, TraineeListDto, TraineeListQueryDto } from './trainee.dto';

@ApiTags('学员 trainees')
@ApiBearerAuth()
@Controller('trainees')
export class TraineesController {
  constructor(
    private readonly service: TraineeService,
    private readonly trainees: TraineeRepository,
    private readonly users: UserService,
  ) {}

  @Roles('institution', 'admin')
  @Post()
  @ApiOperation({ summary: '登记学员（身份证号校验；同一项目内按身份证号唯一）' })
  @ApiCreatedResponse({ type: TraineeDto })
  async register(@CurrentUser() user: AuthUser, @Body() dto: RegisterTraineeDto): Promise<TraineeDto> {
    return TraineeDto.forDetail(await this.service.register(user, dto), user.role);
  }

  @Get()
  @ApiOperation({ summary: '学员列表（按角色限定范围，学员只看到自己的档案；身份证号与手机号脱敏）' })
  @ApiOkResponse({ type: TraineeListDto })
  async list(@CurrentUser() user: AuthUser, @Query() q: TraineeListQueryDto): Promise<TraineeListDto> {
    const { offset = 0, limit = 50, ...filter } = q;
    const page = await this.trainees.list(tenantScopeOf(user), filter, { offset, limit });
    return { items: page.items.map((t) => TraineeDto.from(t, false)), total: page.total };
  }

  @Get(':id')
  @ApiOperation({ summary: '学员详情（学员本人只能查看自己的档案）' })
  @ApiOkResponse({ type: TraineeDto })
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<TraineeDto> {
    // Out of scope and nonexistent look the same: existence is itself tenant data.
    const trainee = await this.trainees.findById(tenantScopeOf(user), id);
    if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
    return TraineeDto.forDetail(trainee, user.role);
  }

  @Roles('institution', 'admin')
  @Post(':id/account')
  @ApiOperation({ summary: '为学员开通登录账号（随机初始密码只返回这一次，首次登录须修改）' })
  @ApiCreatedResponse({ type: CreatedUserDto })
  async createAccount(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: CreateTraineeAccountDto): Promise<CreatedUserDto> {
    const created = await this.users.createTraineeAccount(user, id, dto.username);
    return { user: UserDto.from(created.user), initialPassword: created.initialPassword };
  }
}
