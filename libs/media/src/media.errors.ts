import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of the media context with their zh-CN messages. Ingest codes are also a failed job's reason. */
export const MediaErrors = {
  MEDIA_EMPTY: { status: 422, message: '上传的文件为空' },
  MEDIA_UNRECOGNISED: { status: 422, message: '无法识别的文件：内容不是受支持的视频格式' },
  MEDIA_NO_VIDEO: { status: 422, message: '文件中没有视频画面（缺少视频流）' },
  MEDIA_TOO_LONG: { status: 422, message: '视频时长超过允许的上限' },
  MEDIA_TRUNCATED: { status: 422, message: '视频文件不完整（可能上传中断或文件已损坏）' },
  MEDIA_PROCESSING_FAILED: { status: 422, message: '视频转码或封装失败' },
  MEDIA_INTERRUPTED: { status: 500, message: '处理进程意外中断，多次重试后仍未完成' },
  MEDIA_UPLOAD_MISSING: { status: 410, message: '上传的原始文件已不存在，请重新上传' },
  MEDIA_LESSON_REQUIRED: { status: 400, message: '上传须指明课时（元数据 lessonId）' },
  MEDIA_JOB_NOT_FOUND: { status: 404, message: '处理任务不存在' },
  MEDIA_NOT_PUBLISHED: { status: 409, message: '该课时尚未发布视频' },
  MEDIA_URL_INVALID: { status: 403, message: '播放地址无效或已被篡改' },
  MEDIA_URL_EXPIRED: { status: 403, message: '播放地址已过期，请重新打开课程' },
  MEDIA_RANGE_INVALID: { status: 416, message: '请求的字节范围无效' },
  UPLOADS_UNAVAILABLE: { status: 503, message: '上传服务暂不可用' },
} as const satisfies ErrorCatalog;

export type MediaErrorCode = keyof typeof MediaErrors;

export const mediaError = errorFactory(MediaErrors);
