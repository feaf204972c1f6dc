import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Request } from 'express';
import {
  AllowPendingPasswordChange,
  AuthService,
  AuthUser,
  CurrentUser,
  identityError,
  OrganisationRepository,
  ROLE_NAMES,
  UserRepository,
} from '@app/identity';
import { Public } from '@app/platform';
import { ChangePasswordDto, LoginDto, MeDto, RefreshDto, TokenPairDto } from './auth.dto';

/**
 * Per client address and route, far below the global limit: slows password spraying across
 * names (one name is protected by the lock-out). Not lower, because a classroom of trainees may
 * log in together from behind one NAT address.
 */
export const LOGIN_THROTTLE = { default: { limit: 30, ttl: 60_000 } };

@ApiTags('认证 auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
  ) {}

  @Public()
  @Throttle(LOGIN_THROTTLE)
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '用户名密码登录；连续失败 5 次锁定 15 分钟' })
  @ApiOkResponse({ type: TokenPairDto })
  async login(@Body() dto: LoginDto, @Req() req: Request): Promise<TokenPairDto> {
    return TokenPairDto.from(await this.auth.login(dto.username, dto.password, { userAgent: req.get('user-agent'), ip: req.ip }));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: '用刷新令牌换取新的令牌对（旧刷新令牌随即失效；重复使用将注销整个会话）' })
  @ApiOkResponse({ type: TokenPairDto })
  async refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return TokenPairDto.from(await this.auth.refresh(dto.refreshToken));
  }

  @AllowPendingPasswordChange()
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '退出登录：注销当前会话及其全部令牌' })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }

  @AllowPendingPasswordChange()
  @Throttle(LOGIN_THROTTLE)
  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改密码：其他会话全部注销，返回当前会话的新令牌对' })
  @ApiOkResponse({ type: TokenPairDto })
  async changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<TokenPairDto> {
    return TokenPairDto.from(await this.auth.changePassword(user, dto.currentPassword, dto.newPassword));
  }

  @AllowPendingPasswordChange()
  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前用户' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentUser() caller: AuthUser): Promise<MeDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw identityError('AUTH_TOKEN_INVALID');
    const org = user.organisationId ? await this.organisations.findById(user.organisationId) : undefined;
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      roleName: ROLE_NAMES[user.role],
      organisation: org && { id: org.id, name: org.name, kind: org.kind, regionCode: org.regionCode },
      mustChangePassword: user.mustChangePassword,
    };
  }
}
