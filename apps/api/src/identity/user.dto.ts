import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsMongoId, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX, ROLES, USERNAME_PATTERN } from '@app/identity';
import type { Role, StaffRole, User } from '@app/identity';

const STAFF_ROLES: StaffRole[] = ['institution', 'auditor', 'examiner'];

export class CreateUserDto {
  @ApiProperty({ example: 'zb-emergency', description: '3–32 位小写字母、数字、点、下划线或连字符，以字母或数字开头' })
  @IsString({ message: '用户名须为字符串' })
  @Matches(USERNAME_PATTERN, { message: '用户名须为 3–32 位小写字母、数字、点、下划线或连字符，以字母或数字开头' })
  username!: string;

  @ApiProperty({ example: '淄博市应急管理局审核员' })
  @IsString({ message: '姓名须为字符串' })
  @IsNotEmpty({ message: '请输入姓名' })
  @MaxLength(100, { message: '姓名不能超过 100 个字符' })
  displayName!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES, { message: '角色只能是 institution（培训机构）、auditor（监管部门）或 examiner（考试主管部门）' })
  role!: StaffRole;

  @ApiProperty({ description: '培训机构用户 → 培训机构；监管用户 → 监管部门或第三方评估机构' })
  @IsMongoId({ message: '所属单位标识不正确' })
  organisationId!: string;

  @ApiPropertyOptional({ description: '不填则随机生成并在响应中返回一次；首次登录须修改' })
  @IsOptional()
  @IsString({ message: '初始密码须为字符串' })
  @MaxLength(PASSWORD_MAX * 4)
  initialPassword?: string;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional() organisationId?: string;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty() disabled!: boolean;

  static from(u: User): UserDto {
    const { id, username, displayName, role, organisationId, mustChangePassword, disabled } = u;
    return { id, username, displayName, role, organisationId, mustChangePassword, disabled };
  }
}

export class CreatedUserDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiPropertyOptional({ description: '仅在系统生成时返回，且只返回这一次' }) initialPassword?: string;
}

export class TraineeAccountDto {
  @ApiProperty({ description: '是否已开通登录账号' }) exists!: boolean;
  @ApiPropertyOptional({ type: UserDto }) user?: UserDto;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
}

export class UpdateUserDto {
  @ApiProperty({ description: '停用后该用户的所有会话立即失效' })
  @IsBoolean({ message: 'disabled 须为 true 或 false' })
  disabled!: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ description: '新的初始密码，只返回这一次；用户登录后须修改' }) initialPassword!: string;
}
