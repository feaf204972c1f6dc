/**
 * Failures the caller can act on. Shaped like the platform's AppError (code, status, message,
 * details, headers) so the HTTP layer can map them without this library depending on NestJS.
 */
export const FaceErrorCodes = {
  FACE_IMAGE_INVALID: { status: 400, message: '无法读取该图片：文件不是有效的 JPEG/PNG/WebP 图像或已损坏，请重新拍摄或上传。' },
  FACE_IMAGE_TOO_LARGE: { status: 413, message: '图片过大，请上传更小的照片（例如 1920×1080 以内、10 MB 以内）。' },
  FACE_ENGINE_BUSY: { status: 503, message: '人脸核验服务繁忙，请稍后重试。' },
  FACE_ENGINE_CLOSED: { status: 503, message: '人脸核验服务已停止，请稍后重试。' },
  FACE_ENGINE_FAILED: { status: 500, message: '人脸核验服务内部错误，请稍后重试。' },
  FACE_DESCRIPTOR_INVALID: { status: 400, message: '人脸特征数据无效（应为 128 维有限数值）。' },
} as const;

export type FaceErrorCode = keyof typeof FaceErrorCodes;

export class FaceError extends Error {
  readonly status: number;
  readonly headers: Record<string, string> = {};

  constructor(
    readonly code: FaceErrorCode,
    readonly details?: unknown,
    message?: string,
  ) {
    super(message ?? FaceErrorCodes[code].message);
    this.name = 'FaceError';
    this.status = FaceErrorCodes[code].status;
  }
}

/** The image itself is unusable (4xx): not an image, truncated, or over the byte/pixel limits. */
export class FaceImageError extends FaceError {
  constructor(code: 'FACE_IMAGE_INVALID' | 'FACE_IMAGE_TOO_LARGE', details?: unknown) {
    super(code, details);
    this.name = 'FaceImageError';
  }
}

/** The bounded queue is full: map to HTTP 503 with `Retry-After: retryAfterSeconds`. */
export class FaceEngineBusyError extends FaceError {
  constructor(readonly retryAfterSeconds: number) {
    super('FACE_ENGINE_BUSY', { retryAfterSeconds }, `人脸核验服务繁忙，请 ${retryAfterSeconds} 秒后重试。`);
    this.name = 'FaceEngineBusyError';
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

/** Errors cross the worker boundary as plain objects; this restores the typed class. */
export interface SerializedFaceError {
  code: FaceErrorCode;
  details?: unknown;
  message?: string;
}

export function serializeFaceError(err: unknown): SerializedFaceError {
  if (err instanceof FaceError) return { code: err.code, details: err.details, message: err.message };
  return { code: 'FACE_ENGINE_FAILED', details: { cause: err instanceof Error ? err.message : String(err) } };
}

export function reviveFaceError(s: SerializedFaceError): FaceError {
  if (s.code === 'FACE_IMAGE_INVALID' || s.code === 'FACE_IMAGE_TOO_LARGE') return new FaceImageError(s.code, s.details);
  return new FaceError(s.code, s.details, s.message);
}
