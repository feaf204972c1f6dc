import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { FACE_REFERENCE_STATUSES, FACE_REFERENCE_STATUS_NAMES } from '@app/identity';
import type { FaceReference, FaceReferenceStatus } from '@app/identity';

/** The multipart text fields next to the image. */
export class EnrolFaceDto {
  @ApiPropertyOptional({ maxLength: 500, description: '采集原因：学员已有底库照片时必填（如“原照片模糊，重新采集”）' })
  @IsOptional()
  @IsString({ message: '原因须为字符串' })
  @MaxLength(500, { message: '原因不能超过 500 个字符' })
  reason?: string;

  @ApiPropertyOptional({ enum: ['add', 'replace'], default: 'add', description: 'add：新增一张底库照片；replace：新照片生效后，原有效照片标记为“已被替换”（历史保留）' })
  @IsOptional()
  @IsIn(['add', 'replace'], { message: 'mode 只能是 add 或 replace' })
  mode?: 'add' | 'replace';

  @ApiPropertyOptional({ enum: ['upload', 'webcam'], default: 'upload', description: '照片来源：上传文件或控制台摄像头现场拍摄' })
  @IsOptional()
  @IsIn(['upload', 'webcam'], { message: 'source 只能是 upload 或 webcam' })
  source?: 'upload' | 'webcam';
}

export class ReviewFaceDto {
  @ApiProperty({ enum: ['approve', 'reject'], description: 'approve：确认不是同一人，照片生效；reject：不予采用' })
  @IsIn(['approve', 'reject'], { message: 'decision 只能是 approve 或 reject' })
  decision!: 'approve' | 'reject';

  @ApiProperty({ maxLength: 500, description: '审核意见（必填）' })
  @IsString({ message: '审核意见须为字符串' })
  @IsNotEmpty({ message: '请填写审核意见' })
  @MaxLength(500, { message: '审核意见不能超过 500 个字符' })
  reason!: string;
}

export class FaceQualityDto {
  @ApiProperty({ description: '综合质量分 0–1（仅用于比较同一学员的多张照片）' }) score!: number;
  @ApiProperty({ description: '人脸宽度占图像的比例' }) faceSize!: number;
  @ApiProperty({ description: '人脸检测置信度' }) confidence!: number;
  @ApiProperty({ description: '清晰度（拉普拉斯方差）' }) sharpness!: number;
  @ApiProperty({ description: '亮度 0–255' }) brightness!: number;
}

export class FaceMatchDto {
  @ApiProperty({ description: '疑似为同一人的其他学员' }) traineeId!: string;
  @ApiProperty({ description: '对方的底库记录' }) referenceId!: string;
  @ApiProperty({ description: '特征距离（越小越相似；不超过阈值即视为同一人）' }) distance!: number;
}

export class PersonRefDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ description: '显示名（账号已不存在时为空）' }) name?: string;
}

export class FaceReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: 'approve' | 'reject';
  @ApiProperty() reason!: string;
  @ApiProperty({ type: PersonRefDto }) by!: PersonRefDto;
  @ApiProperty() at!: string;
}

export class FaceRetiredDto {
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: PersonRefDto }) by!: PersonRefDto;
  @ApiProperty() at!: string;
}

export class FaceReferenceDto {
  @ApiProperty() id!: string;
  @ApiProperty() traineeId!: string;
  @ApiProperty() programId!: string;
  @ApiProperty({ enum: FACE_REFERENCE_STATUSES, description: 'active 有效；held_for_review 待审核（疑似与其他学员为同一人，暂不用于核验）；rejected 审核未通过；retired 已被替换' })
  status!: FaceReferenceStatus;
  @ApiProperty({ example: '有效', description: '状态的中文名称' }) statusName!: string;
  @ApiProperty({ type: FaceQualityDto }) quality!: FaceQualityDto;
  @ApiProperty({ enum: ['upload', 'webcam'] }) source!: 'upload' | 'webcam';
  @ApiPropertyOptional({ description: '采集原因' }) reason?: string;
  @ApiProperty({ type: PersonRefDto, description: '采集人' }) enrolledBy!: PersonRefDto;
  @ApiProperty({ description: '采集时间 ISO 8601' }) enrolledAt!: string;
  @ApiProperty({ type: [FaceMatchDto], description: '采集时发现的疑似同一人的其他学员（最相似在前）' }) matches!: FaceMatchDto[];
  @ApiPropertyOptional({ type: FaceReviewDto, description: '审核结果' }) review?: FaceReviewDto;
  @ApiPropertyOptional({ type: FaceRetiredDto, description: '被替换的时间、操作人与原因' }) retired?: FaceRetiredDto;
  @ApiProperty({ example: '/api/v1/trainees/…/face-references/…/image', description: '照片地址（需登录，按权限访问）' }) imageUrl!: string;
  @ApiProperty({ description: '照片 SHA-256' }) imageSha256!: string;

  static from(r: FaceReference, names: ReadonlyMap<string, string>): FaceReferenceDto {
    const person = (id: string): PersonRefDto => ({ id, name: names.get(id) });
    const q = r.quality;
    return {
      id: r.id,
      traineeId: r.traineeId,
      programId: r.programId,
      status: r.status,
      statusName: FACE_REFERENCE_STATUS_NAMES[r.status],
      quality: { score: q.score, faceSize: q.faceSize, confidence: q.confidence, sharpness: q.sharpness, brightness: q.brightness },
      source: r.source,
      reason: r.reason,
      enrolledBy: person(r.enrolledBy),
      enrolledAt: r.enrolledAt.toISOString(),
      matches: r.matches,
      review: r.review && { ...r.review, by: person(r.review.by), at: r.review.at.toISOString() },
      retired: r.retired && { ...r.retired, by: person(r.retired.by), at: r.retired.at.toISOString() },
      imageUrl: `/api/v1/trainees/${r.traineeId}/face-references/${r.id}/image`,
      imageSha256: r.image.sha256,
    };
  }
}

export class FaceReferenceListDto {
  @ApiProperty({ type: [FaceReferenceDto], description: '全部记录（含已替换、待审核、未通过），最新在前' }) items!: FaceReferenceDto[];
}
