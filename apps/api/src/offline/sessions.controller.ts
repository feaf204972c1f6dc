import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles, tenantScopeOf, XLSX_CONTENT_TYPE } from '@app/identity';
import { AttendanceService, ClassRepository, InstructorRepository, KioskService, signInSheet, TimetableService } from '@app/offline';
import { fileResponse } from '@app/platform';
import { AttendanceDto, AttendanceRowDto, AttendanceSheetDto, KioskAttemptDto, KioskClosedDto, KioskOpenedDto, ManualAttendanceDto, SessionDto, UpdateSessionDto } from './offline.dto';

@ApiTags('线下培训课次与考勤 offline sessions')
@ApiBearerAuth()
@Controller('offline/sessions')
export class SessionsController {
  constructor(
    private readonly timetable: TimetableService,
    private readonly attendance: AttendanceService,
    private readonly kiosks: KioskService,
    private readonly classes: ClassRepository,
    private readonly instructors: InstructorRepository,
  ) {}

  @Roles('institution', 'admin')
  @Patch(':id')
  @ApiOperation({ summary: '修改课次（课次开始后须填写原因；已验收的课次不能修改）' })
  @ApiOkResponse({ type: SessionDto })
  async update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: UpdateSessionDto): Promise<SessionDto> {
    const { reason, ...patch } = dto;
    return SessionDto.from(await this.timetable.update(user, id, patch, reason));
  }

  @Roles('institution', 'auditor', 'admin')
  @Get(':id/attendance')
  @ApiOperation({ summary: '课次考勤表：花名册每人的签到、签退、抓拍与计入秒数（待验收/已入账），以及签到终端的全部识别记录' })
  @ApiOkResponse({ type: AttendanceSheetDto })
  async sheet(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AttendanceSheetDto> {
    const { session, rows, attempts } = await this.attendance.sheet(user, id);
    return { session: SessionDto.from(session), rows: rows.map((r) => AttendanceRowDto.from(r, session)), attempts: attempts.map(KioskAttemptDto.from) };
  }

  @Roles('institution', 'auditor', 'admin')
  @Get(':id/sign-in-sheet')
  @ApiOperation({ summary: '导出课次签到表（.xlsx）' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async signInSheet(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<StreamableFile> {
    const { session, rows } = await this.attendance.sheet(user, id);
    const scope = tenantScopeOf(user);
    const cls = (await this.classes.findById(scope, session.classId))!;
    const instructor = await this.instructors.findById(scope, session.instructorId);
    const content = await signInSheet(cls, session, instructor?.name ?? '', rows);
    const filename = `${cls.name}-签到表.xlsx`;
    return new StreamableFile(content, { type: XLSX_CONTENT_TYPE, length: content.length, disposition: `attachment; filename="sign-in-sheet.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}` });
  }

  @Roles('institution', 'auditor', 'admin')
  @Get(':id/captures/:sha256')
  @ApiOperation({ summary: '考勤抓拍图片（按 SHA-256 取，读取时校验；查看记入审计日志）' })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async capture(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('sha256') sha256: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const image = await this.attendance.captureImage(user, id, sha256);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-SHA256', sha256);
    return fileResponse(image.body, { type: image.contentType, length: image.size });
  }

  @Roles('institution', 'admin')
  @Post(':id/attendance')
  @HttpCode(200)
  @ApiOperation({ summary: '人工登记签到/签退（须填写原因，标记供监管部门核查）' })
  @ApiOkResponse({ type: AttendanceDto })
  async manual(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ManualAttendanceDto): Promise<AttendanceDto> {
    return AttendanceDto.from(await this.attendance.manual(user, id, dto.traineeId, dto));
  }

  @Roles('institution')
  @Post(':id/kiosk')
  @ApiOperation({ summary: '为本课次开启人脸签到终端：返回只能用于本课次考勤的凭证，随课次结束（含签退宽限）失效' })
  @ApiCreatedResponse({ type: KioskOpenedDto })
  async openKiosk(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<KioskOpenedDto> {
    const { token, kiosk } = await this.kiosks.open(user, id);
    return { token, sessionId: kiosk.sessionId, expiresAt: kiosk.expiresAt };
  }

  @Roles('institution', 'admin')
  @Post(':id/kiosk/close')
  @HttpCode(200)
  @ApiOperation({ summary: '关闭本课次的签到终端：其凭证立即失效' })
  @ApiOkResponse({ type: KioskClosedDto })
  closeKiosk(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<KioskClosedDto> {
    return this.kiosks.close(user, id);
  }
}
