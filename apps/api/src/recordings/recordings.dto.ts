import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ClassSession } from '@app/offline';
import { flagText, reasonText, RecordingFile, SessionRecording } from '@app/recordings';
import { SessionDto } from '../offline/offline.dto';

export class RecordingFileDto {
  @ApiProperty() name!: string;
  @ApiProperty() sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty() contentType!: string;
  @ApiProperty() isVideo!: boolean;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty() fps!: number;
  @ApiPropertyOptional({ description: '容器记录的拍摄开始时间' }) startedAt?: Date;
  @ApiProperty() uploadedAt!: Date;

  static from(f: RecordingFile): RecordingFileDto {
    const p = f.probe;
    return { name: p.name, sha256: f.sha256, size: f.size, contentType: f.contentType, isVideo: p.isVideo, durationSeconds: p.durationSeconds, width: p.width, height: p.height, fps: p.fps, startedAt: p.startedAt, uploadedAt: f.uploadedAt };
  }
}

export class CheckReasonDto {
  @ApiProperty({ enum: ['NO_FILES', 'NOT_VIDEO', 'TOO_SHORT', 'GAP', 'LOW_RESOLUTION', 'LOW_FRAME_RATE'] }) code!: string;
  @ApiProperty({ description: '中文说明' }) text!: string;
}

export class GapDto {
  @ApiProperty() after!: string;
  @ApiProperty() before!: string;
  @ApiProperty() seconds!: number;
}

export class OverlapDto {
  @ApiProperty() first!: string;
  @ApiProperty() second!: string;
  @ApiProperty() seconds!: number;
}

export class RecordingVerdictDto {
  @ApiProperty() passed!: boolean;
  @ApiProperty() coveredSeconds!: number;
  @ApiProperty() scheduledSeconds!: number;
  @ApiProperty({ description: '录像覆盖课程表时间的比例' }) coverage!: number;
  @ApiProperty({ enum: ['timestamps', 'order'], description: 'timestamps 按文件拍摄时间排列；order 按上传顺序首尾相接' }) timeline!: 'timestamps' | 'order';
  @ApiProperty({ type: [GapDto] }) gaps!: GapDto[];
  @ApiProperty({ type: [OverlapDto] }) overlaps!: OverlapDto[];
  @ApiProperty({ type: [CheckReasonDto] }) reasons!: CheckReasonDto[];
  @ApiProperty() checkedAt!: Date;
}

export class TraineeSeenDto {
  @ApiProperty() traineeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() seen!: boolean;
  @ApiProperty() frames!: number;
  @ApiPropertyOptional() firstSeenAt?: number;
}

export class FaceFlagDto {
  @ApiProperty({ enum: ['FEW_SEEN', 'SIGNED_IN_NOT_SEEN', 'REUSED'] }) code!: string;
  @ApiProperty({ description: '中文说明' }) text!: string;
}

export class FaceReportDto {
  @ApiProperty() sampledFrames!: number;
  @ApiProperty() facesDetected!: number;
  @ApiProperty() distinctFaces!: number;
  @ApiProperty({ type: [TraineeSeenDto] }) trainees!: TraineeSeenDto[];
  @ApiProperty({ type: [FaceFlagDto] }) flags!: FaceFlagDto[];
}

export class ReuseDto {
  @ApiProperty() sessionId!: string;
  @ApiProperty({ enum: ['sha256', 'frames'] }) by!: 'sha256' | 'frames';
}

export class SessionRecordingDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
  @ApiProperty({ type: [RecordingFileDto], description: '已上传的录像文件（未通过核验的也保留为证据）' }) files!: RecordingFileDto[];
  @ApiPropertyOptional({ type: RecordingVerdictDto, description: '最近一次核验结果；尚无文件时为空' }) verdict?: RecordingVerdictDto;
  @ApiPropertyOptional({ description: '录像核验通过、学时写入台账的时间' }) acceptedAt?: Date;
  @ApiPropertyOptional({ type: FaceReportDto, description: '录像人脸与签到学员比对结果（分析完成后）' }) faces?: FaceReportDto;
  @ApiProperty({ type: [ReuseDto], description: '同一录像也上传在其他课次' }) reusedFrom!: ReuseDto[];

  static from(session: ClassSession, r: SessionRecording | undefined): SessionRecordingDto {
    const v = r?.verdict;
    return {
      session: SessionDto.from(session),
      files: (r?.files ?? []).map(RecordingFileDto.from),
      verdict: v && { passed: v.passed, coveredSeconds: v.coveredSeconds, scheduledSeconds: v.scheduledSeconds, coverage: v.coverage, timeline: v.timeline, gaps: [...v.gaps], overlaps: [...v.overlaps], reasons: v.reasons.map((x) => ({ code: x.code, text: reasonText(x) })), checkedAt: v.checkedAt },
      acceptedAt: r?.acceptedAt,
      faces: r?.faces && { ...r.faces, trainees: r.faces.trainees.map((t) => ({ traineeId: t.traineeId, name: t.name, seen: t.seen, frames: t.frames, firstSeenAt: t.firstSeenAt })), flags: r.faces.flags.map((f) => ({ code: f.code, text: flagText(f) })) },
      reusedFrom: r?.reusedFrom ?? [],
    };
  }
}
