import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JobFailure, MediaJob } from '@app/media';

export class JobFailureDto implements JobFailure {
  @ApiProperty({ example: 'MEDIA_NO_VIDEO' }) code!: string;
  @ApiProperty({ example: '文件中没有视频画面（缺少视频流）' }) message!: string;
  @ApiPropertyOptional() details?: object;
}

export class MediaJobDto {
  @ApiProperty() id!: string;
  @ApiProperty() lessonId!: string;
  @ApiPropertyOptional() fileName?: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['queued', 'probing', 'packaging', 'storing', 'done'] }) phase!: string;
  @ApiProperty({ description: '0–100，来自 ffmpeg 的进度输出' }) progress!: number;
  @ApiProperty() attempts!: number;
  @ApiProperty() maxAttempts!: number;
  @ApiPropertyOptional({ enum: ['remux', 'transcode'] }) mode?: string;
  @ApiPropertyOptional({ type: JobFailureDto }) error?: JobFailureDto;
  @ApiPropertyOptional() durationSeconds?: number;
  @ApiPropertyOptional({ description: '上传文件的 SHA-256（十六进制）' }) sourceSha256?: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;

  static from(j: MediaJob): MediaJobDto {
    return {
      id: j.id,
      lessonId: j.lessonId,
      fileName: j.fileName,
      status: j.status,
      phase: j.phase,
      progress: j.progress,
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
      mode: j.mode,
      error: j.error as JobFailureDto | undefined,
      durationSeconds: j.durationSeconds,
      sourceSha256: j.sourceSha256,
      createdAt: j.createdAt.toISOString(),
      updatedAt: j.updatedAt.toISOString(),
    };
  }
}

export class MediaJobListDto {
  @ApiProperty({ type: [MediaJobDto] }) items!: MediaJobDto[];
}

export class PlaybackDto {
  @ApiProperty({ description: '已签名、会过期的 HLS 播放列表地址；密钥请求须带登录凭证' }) playlistUrl!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() durationSeconds!: number;
}
