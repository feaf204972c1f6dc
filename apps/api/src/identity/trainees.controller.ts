import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles, TraineeRepository, TraineeService, tenantScopeOf, UserService } from '@app/identity';
import { CreatedUserDto, ResetPasswordDto, TraineeAccountDto, UserDto } from './user.dto';
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
    // Out of scope and nonexistent look the same: existence is itself tenant data. The use case records an unmasked read.
    return TraineeDto.forDetail(await this.service.detail(user, id), user.role);
  }

  @Roles('institution', 'admin')
  @Get(':id/account')
  @ApiOperation({ summary: '学员的登录账号（未开通时 exists 为 false）' })
  @ApiOkResponse({ type: TraineeAccountDto })
  async account(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<TraineeAccountDto> {
    const account = await this.users.traineeAccount(user, id);
    return account ? { exists: true, user: UserDto.from(account) } : { exists: false };
  }

  @Roles('institution', 'admin')
  @Post(':id/account/reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: '重置学员登录密码（随机新密码只返回这一次，学员已登录的会话全部失效，登录后须修改）' })
  @ApiOkResponse({ type: ResetPasswordDto })
  async resetPassword(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ResetPasswordDto> {
    const reset = await this.users.resetTraineePassword(user, id);
    return { user: UserDto.from(reset.user), initialPassword: reset.initialPassword };
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
