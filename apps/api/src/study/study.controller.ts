import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { fileResponse } from '@app/platform';
import { StudyRecordService } from '@app/study';
import { MyProgressDto, ProgramProgressDto, SessionListQuery, StudySessionListDto, StudySessionRecordDto } from './study.dto';

@ApiTags('在线学习 study')
@ApiBearerAuth()
@Controller()
export class StudyController {
  constructor(private readonly records: StudyRecordService) {}

  @Roles('trainee')
  @Get('study/me/progress')
  @ApiOperation({ summary: '我的学时与课程进度（来自学时台账；按项目每学时分钟数折算）' })
  @ApiOkResponse({ type: MyProgressDto })
  progress(@CurrentUser() user: AuthUser): Promise<MyProgressDto> {
    return this.records.myProgress(user);
  }

  @Roles('trainee')
  @Get('study/me/sessions')
  @ApiOperation({ summary: '我的学习记录（最近的学习会话）' })
  @ApiOkResponse({ type: StudySessionListDto })
  async sessions(@CurrentUser() user: AuthUser, @Query() q: SessionListQuery): Promise<StudySessionListDto> {
    return { items: await this.records.mySessions(user, q.limit ?? 50) };
  }

  @Get('study/sessions/:id')
  @ApiOperation({ summary: '一次学习会话的证据链：人脸核验（含抓拍结果与距离）、防挂机确认、不计学时的原因' })
  @ApiOkResponse({ type: StudySessionRecordDto })
  record(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<StudySessionRecordDto> {
    return this.records.record(user, id);
  }

  @Get('study/captures/:id/image')
  @ApiOperation({ summary: '人脸核验抓拍图片（证据；与学习会话同一管辖范围）' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  async captureImage(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const image = await this.records.captureImage(user, id);
    // Personal data: never in a shared cache. The hash lets an auditor check the image is the one recorded.
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-SHA256', image.sha256);
    return fileResponse(image.body, { type: image.contentType, length: image.size });
  }

  @Roles('institution', 'auditor', 'admin')
  @Get('trainees/:id/study-sessions')
  @ApiOperation({ summary: '学员的在线学习记录（最近的学习会话；限管辖范围；详情与抓拍见 study/sessions/:id）' })
  @ApiOkResponse({ type: StudySessionListDto })
  async traineeSessions(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() q: SessionListQuery): Promise<StudySessionListDto> {
    return { items: await this.records.traineeSessions(user, id, q.limit ?? 50) };
  }

  @Roles('institution', 'auditor', 'admin')
  @Get('trainees/:id/hours')
  @ApiOperation({ summary: '学员学时（台账合计，按来源与课程；限管辖范围）' })
  @ApiOkResponse({ type: ProgramProgressDto })
  hours(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ProgramProgressDto> {
    return this.records.traineeHours(user, id);
  }
}
