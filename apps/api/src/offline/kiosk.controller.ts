import { Controller, Get, HttpCode, Post, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { AttendanceService, CurrentKiosk, Kiosk, KioskGuard, MyOffline, offlineError } from '@app/offline';
import { Public } from '@app/platform';
import { UploadTooLargeAs } from '../identity/roster-upload.interceptor';
import { AttendanceDto, ClassDto, KioskResultDto, KioskViewDto, MyOfflineDto, SessionDto } from './offline.dto';

const FRAME_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The classroom kiosk. No login: @Public() to the login guard, and KioskGuard instead, which takes
 * only a kiosk credential. Neither route names a session — the credential does.
 */
@ApiTags('人脸签到终端 kiosk')
@ApiBearerAuth()
@Public()
@UseGuards(KioskGuard)
@Controller('offline/kiosk')
export class KioskController {
  constructor(private readonly attendance: AttendanceService) {}

  @Get()
  @ApiOperation({ summary: '签到终端所服务的课次（凭证限定）' })
  @ApiOkResponse({ type: KioskViewDto })
  async view(@CurrentKiosk() kiosk: Kiosk): Promise<KioskViewDto> {
    const { session, cls, rosterSize, signedIn } = await this.attendance.kioskView(kiosk);
    return { session: SessionDto.from(session), className: cls.name, location: cls.location, rosterSize, signedIn, expiresAt: kiosk.expiresAt };
  }

  @Post('captures')
  @HttpCode(200)
  @UseInterceptors(UploadTooLargeAs(() => offlineError('CAPTURE_TOO_LARGE', { maxBytes: FRAME_MAX_BYTES })), FileInterceptor('image', { limits: { fileSize: FRAME_MAX_BYTES, files: 1, fields: 2 } }))
  @ApiOperation({ summary: '提交一帧摄像头画面：在本课次花名册中 1:N 识别，签到（开始前后规定时间内）或签退；无法识别、多张人脸、无人脸均拒绝并记录；画面作为证据保存' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', format: 'binary', description: 'JPEG/PNG/WebP 画面，建议 640×480' } } } })
  @ApiOkResponse({ type: KioskResultDto })
  async capture(@CurrentKiosk() kiosk: Kiosk, @UploadedFile() image: Express.Multer.File | undefined): Promise<KioskResultDto> {
    if (!image) throw offlineError('CAPTURE_EMPTY');
    return this.attendance.capture(kiosk, image.buffer);
  }
}

@ApiTags('线下培训班次 offline classes')
@ApiBearerAuth()
@Controller('offline/me')
export class MyOfflineController {
  constructor(private readonly mine: MyOffline) {}

  @Roles('trainee')
  @Get()
  @ApiOperation({ summary: '我的线下培训：班次、课次、考勤，以及待验收与已入账的线下（含实训）秒数' })
  @ApiOkResponse({ type: MyOfflineDto })
  async get(@CurrentUser() user: AuthUser): Promise<MyOfflineDto> {
    const r = await this.mine.of(user);
    return {
      classes: r.classes.map((c) => ({
        cls: ClassDto.from(c.cls),
        sessions: c.sessions.map((s) => ({ session: SessionDto.from(s.session), attendance: s.attendance && AttendanceDto.from(s.attendance), seconds: s.seconds, hours: s.hours, source: s.source })),
      })),
      pendingSeconds: r.pendingSeconds,
      creditedSeconds: r.creditedSeconds,
    };
  }
}
