import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, UserRepository, UserService } from '@app/identity';
import { CreatedUserDto, CreateUserDto, UserDto, UserListDto } from './user.dto';

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
  async create(@Body() dto: CreateUserDto): Promise<CreatedUserDto> {
    const { user, initialPassword } = await this.service.createStaff(dto);
    return { user: UserDto.from(user), initialPassword };
  }

  @Get()
  @ApiOperation({ summary: '用户列表（仅管理员）' })
  @ApiOkResponse({ type: UserListDto })
  async list(): Promise<UserListDto> {
    return { items: (await this.users.list()).map(UserDto.from) };
  }
}
