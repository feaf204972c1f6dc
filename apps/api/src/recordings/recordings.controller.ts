import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { SessionRecordings } from '@app/recordings';
import { SessionRecordingDto } from './recordings.dto';

@ApiTags('课次录像 session recordings')
@ApiBearerAuth()
@Controller('offline/sessions')
export class RecordingsController {
  constructor(private readonly recordings: SessionRecordings) {}

  @Roles('institution', 'auditor', 'admin')
  @Get(':id/recording')
  @ApiOperation({
    summary: '课次录像：已上传的文件、核验结论及未通过的中文原因、人脸比对结果。录像经 tus 上传到 /api/v1/recording-uploads（元数据 sessionId、filename），核验通过即验收课次、学时写入台账',
  })
  @ApiOkResponse({ type: SessionRecordingDto })
  async view(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<SessionRecordingDto> {
    const { session, recording } = await this.recordings.view(user, id);
    return SessionRecordingDto.from(session, recording);
  }
}
