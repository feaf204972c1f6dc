import { ErrorCatalog, errorFactory } from '@app/platform';

/** Stable codes of session recordings with their zh-CN messages. */
export const RecordingErrors = {
  RECORDING_SESSION_REQUIRED: { status: 400, message: '上传录像须指明课次' },
  RECORDING_SESSION_ACCEPTED: { status: 409, message: '课次已验收，不需要再上传录像' },
  RECORDING_NOT_FOUND: { status: 404, message: '该课次尚无录像' },
  RECORDING_FILE_NOT_FOUND: { status: 404, message: '录像文件不存在' },
  RECORDING_TOO_LARGE: { status: 413, message: '录像文件超过允许的大小' },
  RECORDING_UPLOADS_UNAVAILABLE: { status: 503, message: '录像上传服务暂不可用，请稍后重试' },
} as const satisfies ErrorCatalog;

export type RecordingErrorCode = keyof typeof RecordingErrors;

export const recordingError = errorFactory(RecordingErrors);
