import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { AuthUser, CurrentUser, FACE_CONSENT_TEXT, FaceConsent, FaceConsentService, FaceConsentStatus, identityError, Roles } from '@app/identity';
import { fileResponse } from '@app/platform';
import { UploadTooLargeAs } from './roster-upload.interceptor';

/** A phone photo or a multi-page scan of one form; larger files are almost always the wrong file. */
const CONSENT_SCAN_MAX_BYTES = 10 * 1024 * 1024;

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

export class PaperConsentDto {
  @ApiProperty({ example: 'face-2025-01', description: '纸质同意书上印制的版本（须为当前版本）' })
  @IsString({ message: '同意书版本须为字符串' })
  @IsNotEmpty({ message: '请提供同意书版本' })
  @MaxLength(50)
  textVersion!: string;

  @ApiProperty({ example: '2026-12-01', description: '学员签署日期（YYYY-MM-DD）' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '签署日期格式应为 YYYY-MM-DD' })
  signedOn!: string;
}

export class PaperWithdrawalDto {
  @ApiProperty({ example: '学员于 2026-12-05 书面申请撤回', description: '学员撤回的方式与说明' })
  @IsString({ message: '请填写撤回说明' })
  @IsNotEmpty({ message: '请填写学员撤回同意的方式与说明' })
  @MaxLength(500, { message: '撤回说明不超过 500 个字符' })
  reason!: string;
}

export class FaceConsentDto {
  @ApiProperty() id!: string;
  @ApiProperty() textVersion!: string;
  @ApiProperty() grantedAt!: string;
  @ApiProperty({ description: '记录同意的用户：在线同意为学员本人，纸质同意书为录入的机构人员' }) grantedBy!: string;
  @ApiProperty({ enum: ['online', 'paper'], description: 'online 学员在线同意；paper 机构录入学员签署的纸质同意书' }) channel!: 'online' | 'paper';
  @ApiPropertyOptional({ description: '纸质同意书的签署日期' }) signedOn?: string;
  @ApiProperty({ description: '是否有纸质同意书扫描件（GET …/face-consent/{consentId}/scan）' }) hasScan!: boolean;
  @ApiPropertyOptional() withdrawnAt?: string;
  @ApiPropertyOptional() withdrawnBy?: string;
  @ApiPropertyOptional({ enum: ['online', 'paper'] }) withdrawnChannel?: 'online' | 'paper';
  @ApiPropertyOptional({ description: '机构登记撤回时填写的说明' }) withdrawReason?: string;

  static from(c: FaceConsent): FaceConsentDto {
    return {
      id: c.id,
      textVersion: c.textVersion,
      grantedAt: c.grantedAt.toISOString(),
      grantedBy: c.grantedBy,
      channel: c.channel,
      signedOn: c.signedOn,
      hasScan: c.scan !== undefined,
      withdrawnAt: c.withdrawnAt?.toISOString(),
      withdrawnBy: c.withdrawnBy,
      withdrawnChannel: c.withdrawnChannel,
      withdrawReason: c.withdrawReason,
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

  @Roles('institution')
  @Post('trainees/:id/face-consent/paper')
  @HttpCode(200)
  @UseInterceptors(UploadTooLargeAs(() => identityError('CONSENT_SCAN_TOO_LARGE', { maxBytes: CONSENT_SCAN_MAX_BYTES })), FileInterceptor('scan', { limits: { fileSize: CONSENT_SCAN_MAX_BYTES, files: 1, fields: 5 } }))
  @ApiOperation({ summary: '培训机构录入学员签署的纸质人脸信息处理同意书（上传扫描件，注明签署日期与版本；仅学员所属机构）' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['scan', 'signedOn', 'textVersion'],
      properties: {
        scan: { type: 'string', format: 'binary', description: '签署后的同意书扫描件或照片：PDF、JPEG、PNG 或 WebP，不超过 10 MB' },
        signedOn: { type: 'string', example: '2026-12-01' },
        textVersion: { type: 'string', example: FACE_CONSENT_TEXT.version },
      },
    },
  })
  @ApiOkResponse({ type: FaceConsentStatusDto })
  async recordPaper(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: PaperConsentDto,
    @UploadedFile() scan: Express.Multer.File | undefined,
  ): Promise<FaceConsentStatusDto> {
    if (!scan) throw identityError('CONSENT_SCAN_INVALID');
    return FaceConsentStatusDto.from(await this.consents.recordPaperGrant(user, id, { scan: scan.buffer, signedOn: dto.signedOn, textVersion: dto.textVersion }));
  }

  @Roles('institution')
  @Post('trainees/:id/face-consent/paper-withdrawal')
  @HttpCode(200)
  @ApiOperation({ summary: '培训机构登记学员撤回人脸信息处理同意（学员书面或当面提出时；须填写说明，人脸核验随即停止）' })
  @ApiOkResponse({ type: FaceConsentStatusDto })
  async recordPaperWithdrawal(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: PaperWithdrawalDto): Promise<FaceConsentStatusDto> {
    return FaceConsentStatusDto.from(await this.consents.recordPaperWithdrawal(user, id, dto.reason));
  }

  @Roles('institution', 'auditor', 'admin')
  @Get('trainees/:id/face-consent/:consentId/scan')
  @ApiOperation({ summary: '纸质同意书扫描件（与同意记录相同的访问权限；校验哈希，不缓存）' })
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png', 'image/webp')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async scan(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('consentId') consentId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.consents.paperScan(user, id, consentId);
    res.setHeader('Cache-Control', 'no-store');
    return fileResponse(file.body, { type: file.contentType, length: file.size });
  }
}
