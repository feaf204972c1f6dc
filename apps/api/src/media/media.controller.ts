import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { catalogError, CourseRepository, LessonRepository } from '@app/catalog';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { HlsDelivery, mediaError, MediaJobRepository, parseRange, PLAYLIST_NAME } from '@app/media';
import { Public } from '@app/platform';
import { StudySessionStore, studyError } from '@app/study';
import { TraineeAudience } from '../catalog/trainee-audience';
import { MediaJobDto, MediaJobListDto, PlaybackDto } from './media.dto';
import { HLS_BASE } from './paths';

interface Signed {
  exp?: string;
  sig?: string;
}

/** Encrypted content is still not for shared caches: only the browser that fetched it keeps it, and not past the URL's life. */
const PRIVATE_CACHE = 'private, max-age=60';

@ApiTags('视频 media')
@Controller()
export class MediaController {
  constructor(
    private readonly jobs: MediaJobRepository,
    private readonly lessons: LessonRepository,
    private readonly courses: CourseRepository,
    private readonly audience: TraineeAudience,
    private readonly delivery: HlsDelivery,
    private readonly study: StudySessionStore,
  ) {}

  @Roles('admin')
  @ApiBearerAuth()
  @Get('media/jobs/:id')
  @ApiOperation({ summary: '视频处理任务（状态、进度、失败原因）' })
  @ApiOkResponse({ type: MediaJobDto })
  async job(@Param('id') id: string): Promise<MediaJobDto> {
    const job = await this.jobs.findById(id);
    if (!job) throw mediaError('MEDIA_JOB_NOT_FOUND');
    return MediaJobDto.from(job);
  }

  @Roles('admin')
  @ApiBearerAuth()
  @Get('lessons/:id/jobs')
  @ApiOperation({ summary: '某课时的视频处理任务（最近 20 个）' })
  @ApiOkResponse({ type: MediaJobListDto })
  async lessonJobs(@Param('id') id: string): Promise<MediaJobListDto> {
    return { items: (await this.jobs.listByLesson(id)).map(MediaJobDto.from) };
  }

  @ApiBearerAuth()
  @Get('lessons/:id/playback')
  @ApiOperation({ summary: '播放地址：仅管理员（预览）与该课程适用对象内的学员' })
  @ApiOkResponse({ type: PlaybackDto })
  async playback(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PlaybackDto> {
    const lesson = await this.lessons.findById(id);
    if (!lesson) throw catalogError('LESSON_NOT_FOUND');
    await this.assertMayWatch(user, lesson.courseId);
    if (lesson.status !== 'published' || !lesson.renditionId) throw mediaError('MEDIA_NOT_PUBLISHED');
    const { url, expiresAt } = this.delivery.playlistUrl(HLS_BASE, lesson.renditionId);
    return { playlistUrl: url, expiresAt: expiresAt.toISOString(), durationSeconds: lesson.durationSeconds ?? 0 };
  }

  @Public()
  @SkipThrottle()
  @Get(`media/hls/:rendition/${PLAYLIST_NAME}`)
  @ApiOperation({ summary: 'HLS 播放列表（签名地址；每次请求重新签名密钥与分片地址）' })
  @ApiProduces('application/vnd.apple.mpegurl')
  async playlist(@Param('rendition') id: string, @Query() q: Signed, @Res({ passthrough: true }) res: Response): Promise<string> {
    this.delivery.verify(`${HLS_BASE}/${id}/${PLAYLIST_NAME}`, q);
    const rendition = await this.delivery.rendition(id);
    const body = await this.delivery.playlist(HLS_BASE, rendition, Number(q.exp));
    res.setHeader('Content-Type', 'application/vnd.apple.mpegurl; charset=utf-8');
    // Signed URLs inside: a cached copy would hand out stale or someone else's signatures.
    res.setHeader('Cache-Control', 'no-store');
    return body;
  }

  @ApiBearerAuth()
  @SkipThrottle()
  @Get('media/hls/:rendition/key')
  @ApiOperation({ summary: 'AES-128 内容密钥：签名地址 + 登录凭证；学员须在该课时的学习会话中（管理员可预览）' })
  @ApiProduces('application/octet-stream')
  async key(
    @CurrentUser() user: AuthUser,
    @Param('rendition') id: string,
    @Query() q: Signed,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    this.delivery.verify(`${HLS_BASE}/${id}/key`, q);
    const rendition = await this.delivery.rendition(id);
    const lesson = await this.lessons.findById(rendition.lessonId);
    if (!lesson) throw mediaError('MEDIA_NOT_PUBLISHED');
    await this.assertMayWatch(user, lesson.courseId);
    // The key is what makes the video watchable: a trainee gets it only while studying the lesson,
    // so every minute watched is a minute the server is crediting (or refusing) with evidence.
    if (user.role === 'trainee' && !(await this.study.hasLiveSession(user, lesson.id))) throw studyError('STUDY_SESSION_REQUIRED');
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(this.delivery.contentKey(rendition), { type: 'application/octet-stream', length: 16 });
  }

  @Public()
  @SkipThrottle()
  @Get('media/hls/:rendition/:segment')
  @ApiOperation({ summary: 'HLS 分片（签名地址，支持 Range）' })
  @ApiProduces('video/mp2t')
  async segment(
    @Param('rendition') id: string,
    @Param('segment') name: string,
    @Query() q: Signed,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    this.delivery.verify(`${HLS_BASE}/${id}/${name}`, q);
    const rendition = await this.delivery.rendition(id);
    const size = (await this.delivery.segment(rendition, name)).info.size;
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      throw mediaError('MEDIA_RANGE_INVALID', { size }, { headers: { 'Content-Range': `bytes */${size}` } });
    }
    const { body } = await this.delivery.segment(rendition, name, range);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Cache-Control', PRIVATE_CACHE);
    if (range) {
      res.status(206);
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    }
    return new StreamableFile(body, { type: 'video/mp2t', length: range ? range.end - range.start + 1 : size });
  }

  private async assertMayWatch(user: AuthUser, courseId: string): Promise<void> {
    const course = await this.courses.findById(courseId);
    if (!course) throw catalogError('COURSE_NOT_FOUND');
    if (!(await this.audience.mayWatch(user, course))) throw catalogError('NOT_IN_AUDIENCE');
  }
}
