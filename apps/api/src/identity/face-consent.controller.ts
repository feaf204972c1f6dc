import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AuthUser, CurrentUser, FACE_CONSENT_TEXT, FaceConsent, FaceConsentService, FaceConsentStatus, Roles } from '@app/identity';

export class ConsentTextDto {
  @ApiProperty({ example: 'face-2025-01' }) version!: string;
  @ApiProperty() title!: string;
  @ApiProperty() text!: string;
}

export class GrantConsentDto {
  @ApiProperty({ example: 'face-2025-01', description: '学员阅读并同意的同意书版本' })
  @IsString({ message: '同意书版本须为字符串' })
  @IsNotEmpty({ message: '请提供同意书版本' })
  @MaxLength(50)
  textVersion!: string;
}

export class FaceConsentDto {
  @ApiProperty() id!: string;
  @ApiProperty() textVersion!: string;
  @ApiProperty() grantedAt!: string;
  @ApiProperty({ description: '作出同意的用户' }) grantedBy!: string;
  @ApiPropertyOptional() withdrawnAt?: string;
  @ApiPropertyOptional() withdrawnBy?: string;

  static from(c: FaceConsent): FaceConsentDto {
    return {
      id: c.id,
      textVersion: c.textVersion,
      grantedAt: c.grantedAt.toISOString(),
      grantedBy: c.grantedBy,
      withdrawnAt: c.withdrawnAt?.toISOString(),
      withdrawnBy: c.withdrawnBy,
    };
  }
}

export class FaceConsentStatusDto {
  @ApiProperty({ description: '是否存在有效的同意（撤回后为 false，人脸核验随即停止）' }) active!: boolean;
  @ApiPropertyOptional({ type: FaceConsentDto }) current?: FaceConsentDto;
  @ApiProperty({ type: [FaceConsentDto], description: '全部记录，最新在前' }) history!: FaceConsentDto[];
  @ApiProperty() currentTextVersion!: string;

  static from(s: FaceConsentStatus): FaceConsentStatusDto {
    return {
      active: s.active,
      current: s.current && FaceConsentDto.from(s.current),
      history: s.history.map(FaceConsentDto.from),
      currentTextVersion: s.currentTextVersion,
    };
  }
}

@ApiTags('人脸信息同意 face consent')
@ApiBearerAuth()
@Controller()
export class FaceConsentController {
  constructor(private readonly consents: FaceConsentService) {}

  @Get('consents/face-text')
  @ApiOperation({ summary: '当前版本的人脸信息处理单独同意书' })
  @ApiOkResponse({ type: ConsentTextDto })
  text(): ConsentTextDto {
    return FACE_CONSENT_TEXT;
  }

  @Get('trainees/:id/face-consent')
  @ApiOperation({ summary: '学员的人脸信息同意状态及历史（按角色限定范围）' })
  @ApiOkResponse({ type: FaceConsentStatusDto })
  async status(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<FaceConsentStatusDto> {
    return FaceConsentStatusDto.from(await this.consents.status(user, id));
  }

  @Roles('trainee')
  @Post('trainees/:id/face-consent')
  @HttpCode(200)
  @ApiOperation({ summary: '学员本人同意人脸信息处理（须注明所同意的版本）' })
  @ApiOkResponse({ type: FaceConsentStatusDto })
  async grant(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: GrantConsentDto): Promise<FaceConsentStatusDto> {
    return FaceConsentStatusDto.from(await this.consents.grant(user, id, dto.textVersion));
  }

  @Roles('trainee')
  @Post('trainees/:id/face-consent/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: '学员本人撤回人脸信息处理同意（人脸核验随即停止，记录保留）' })
  @ApiOkResponse({ type: FaceConsentStatusDto })
  async withdraw(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<FaceConsentStatusDto> {
    return FaceConsentStatusDto.from(await this.consents.withdraw(user, id));
  }
}
