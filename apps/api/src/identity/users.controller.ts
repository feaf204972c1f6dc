import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles, UserRepository, UserService } from '@app/identity';
import { CreatedUserDto, CreateUserDto, ResetPasswordDto, UpdateUserDto, UserDto, UserListDto } from './user.dto';

@ApiTags('用户 users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(
    private readonly service: UserService,
    private readonly users: UserRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: '创建培训机构或监管部门用户（仅管理员）' })
  @ApiCreatedResponse({ type: CreatedUserDto })
  async create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto): Promise<CreatedUserDto> {
    const { user, initialPassword } = await this.service.createStaff(admin, dto);
    return { user: UserDto.from(user), initialPassword };
  }

  @Get()
  @ApiOperation({ summary: '用户列表（仅管理员）' })
  @ApiOkResponse({ type: UserListDto })
  async list(): Promise<UserListDto> {
    return { items: (await this.users.list()).map(UserDto.from) };
  }

  @Patch(':id')
  @ApiOperation({ summary: '停用或启用用户（仅管理员；不能停用自己）' })
  @ApiOkResponse({ type: UserDto })
  async update(@CurrentUser() admin: AuthUser, @Param('id') id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return UserDto.from(await this.service.setDisabled(admin, id, dto.disabled));
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: '重置用户密码：生成新的初始密码，注销其全部会话（仅管理员）' })
  @ApiOkResponse({ type: ResetPasswordDto })
  async resetPassword(@CurrentUser() admin: AuthUser, @Param('id') id: string): Promise<ResetPasswordDto> {
    const { user, initialPassword } = await this.service.resetPassword(admin, id);
    return { user: UserDto.from(user), initialPassword };
  }
}
