import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, FaceEnrolmentService, FaceReference, identityError, Roles, UserRepository } from '@app/identity';
import { FaceImageError } from '@app/face';
import { fileResponse } from '@app/platform';
import { UploadTooLargeAs } from './roster-upload.interceptor';
import { EnrolFaceDto, FaceReferenceDto, FaceReferenceListDto, ReviewFaceDto } from './enrolment.dto';

/** The engine refuses larger uploads anyway (FACE_IMAGE_TOO_LARGE); multer stops reading there. */
const FACE_IMAGE_MAX_BYTES = 10 * 1024 * 1024;

@ApiTags('人脸底库 face enrolment')
@ApiBearerAuth()
@Controller()
export class EnrolmentController {
  constructor(
    private readonly enrolment: FaceEnrolmentService,
    private readonly users: UserRepository,
  ) {}

  @Roles('institution')
  @Post('trainees/:id/face-references')
  @HttpCode(201)
  @UseInterceptors(UploadTooLargeAs(() => new FaceImageError('FACE_IMAGE_TOO_LARGE', { maxBytes: FACE_IMAGE_MAX_BYTES })), FileInterceptor('image', { limits: { fileSize: FACE_IMAGE_MAX_BYTES, files: 1, fields: 5 } }))
  @ApiOperation({
    summary:
      '采集学员人脸底库照片（仅学员所属培训机构；须学员本人已同意人脸信息处理；已有有效或待审核的照片时须填写原因，此前照片均未通过审核时不必）。' +
      '照片未通过质量检测返回 422（code 为检测项，如 FACE_MULTIPLE、FACE_BLURRED，message 为中文指引）；' +
      '与本项目其他学员疑似同一人时返回 202，status 为 held_for_review，待监管部门审核',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', format: 'binary', description: 'JPEG/PNG/WebP 照片，不超过 10 MB，仅一张正脸' },
        reason: { type: 'string', description: '已有底库照片时必填' },
        mode: { type: 'string', enum: ['add', 'replace'], default: 'add' },
        source: { type: 'string', enum: ['upload', 'webcam'], default: 'upload' },
      },
    },
  })
  @ApiCreatedResponse({ type: FaceReferenceDto, description: '已生效（status = active）' })
  @ApiAcceptedResponse({ type: FaceReferenceDto, description: '疑似与其他学员为同一人，已保存但暂不生效（status = held_for_review）' })
  async enrol(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: EnrolFaceDto,
    @UploadedFile() image: Express.Multer.File | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FaceReferenceDto> {
    if (!image) throw identityError('FACE_IMAGE_MISSING');
    const reference = await this.enrolment.enrol(user, id, { image: image.buffer, reason: dto.reason, mode: dto.mode ?? 'add', source: dto.source ?? 'upload' });
    if (reference.status === 'held_for_review') res.status(HttpStatus.ACCEPTED);
    return (await this.present([reference]))[0];
  }

  @Roles('institution', 'auditor', 'admin')
  @Get('trainees/:id/face-references')
  @ApiOperation({ summary: '学员人脸底库的全部记录：采集人、时间、原因、质量、状态、审核与替换情况（监管部门可查看辖区内学员）' })
  @ApiOkResponse({ type: FaceReferenceListDto })
  async history(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<FaceReferenceListDto> {
    return { items: await this.present(await this.enrolment.history(user, id)) };
  }

  @Roles('institution', 'auditor', 'admin')
  @Get('trainees/:id/face-references/:referenceId/image')
  @ApiOperation({ summary: '底库照片（与记录相同的访问权限；不缓存）' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async image(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('referenceId') referenceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const img = await this.enrolment.image(user, id, referenceId);
    // Face images are sensitive personal information: never kept by shared caches or the browser.
    res.setHeader('Cache-Control', 'no-store');
    return fileResponse(img.body, { type: img.contentType, length: img.size });
  }

  @Roles('auditor', 'admin')
  @Post('trainees/:id/face-references/:referenceId/review')
  @HttpCode(200)
  @ApiOperation({ summary: '审核待审核的人脸底库照片（监管部门限辖区内）：approve 生效，reject 不予采用；须填写审核意见' })
  @ApiOkResponse({ type: FaceReferenceDto })
  async review(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('referenceId') referenceId: string,
    @Body() dto: ReviewFaceDto,
  ): Promise<FaceReferenceDto> {
    return (await this.present([await this.enrolment.review(user, id, referenceId, dto)]))[0];
  }

  @Roles('auditor', 'admin')
  @Get('face-references/pending-review')
  @ApiOperation({ summary: '待审核的人脸底库照片（监管部门限辖区内，最早的在前，最多 100 条）' })
  @ApiOkResponse({ type: FaceReferenceListDto })
  async pending(@CurrentUser() user: AuthUser): Promise<FaceReferenceListDto> {
    return { items: await this.present(await this.enrolment.pendingReview(user)) };
  }

  /** Who enrolled, reviewed or replaced, by display name: auditors read the history, not ids. */
  private async present(references: FaceReference[]): Promise<FaceReferenceDto[]> {
    const ids = new Set(references.flatMap((r) => [r.enrolledBy, r.review?.by, r.retired?.by].filter((x): x is string => !!x)));
    const names = new Map<string, string>();
    for (const id of ids) {
      const u = await this.users.findById(id);
      if (u) names.set(id, u.displayName);
    }
    return references.map((r) => FaceReferenceDto.from(r, names));
  }
}
