import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX, ROLES } from '@app/identity';
import type { Role, TokenPair } from '@app/identity';

export class LoginDto {
  @ApiProperty({ example: 'yc-institution' })
  @IsString({ message: '用户名须为字符串' })
  @IsNotEmpty({ message: '请输入用户名' })
  @MaxLength(64, { message: '用户名过长' })
  username!: string;

  @ApiProperty()
  @IsString({ message: '密码须为字符串' })
  @IsNotEmpty({ message: '请输入密码' })
  @MaxLength(PASSWORD_MAX * 4, { message: '密码过长' })
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: '上次登录或刷新得到的 refreshToken（一次性）' })
  @IsString({ message: 'refreshToken 须为字符串' })
  @IsNotEmpty({ message: '缺少 refreshToken' })
  @MaxLength(200)
  refreshToken!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: '当前密码须为字符串' })
  @IsNotEmpty({ message: '请输入当前密码' })
  @MaxLength(PASSWORD_MAX * 4)
  currentPassword!: string;

  @ApiProperty({ description: '至少 10 个字符，须含字母和数字，不能包含用户名' })
  @IsString({ message: '新密码须为字符串' })
  @IsNotEmpty({ message: '请输入新密码' })
  @MaxLength(PASSWORD_MAX * 4)
  newPassword!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'Bearer 访问令牌（短期）' }) accessToken!: string;
  @ApiProperty({ example: 900, description: '访问令牌剩余秒数' }) expiresIn!: number;
  @ApiProperty({ description: '刷新令牌：只能使用一次，每次刷新返回新的' }) refreshToken!: string;
  @ApiProperty() refreshExpiresAt!: string;
  @ApiProperty({ description: '为 true 时只能调用 /auth/me、/auth/password、/auth/logout' }) mustChangePassword!: boolean;

  static from(p: TokenPair): TokenPairDto {
    return { ...p, refreshExpiresAt: p.refreshExpiresAt.toISOString() };
  }
}

export class OrganisationRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['enterprise', 'institution', 'department', 'evaluator'] }) kind!: string;
  @ApiProperty({ example: '230700' }) regionCode!: string;
}

export class MeDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: '培训机构' }) roleName!: string;
  @ApiPropertyOptional({ type: OrganisationRefDto }) organisation?: OrganisationRefDto;
  @ApiProperty() mustChangePassword!: boolean;
}
