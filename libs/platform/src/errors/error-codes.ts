/** A context's stable codes with their HTTP status and zh-CN message. */
export type ErrorCatalog = Record<string, { status: number; message: string }>;

/**
 * Stable error codes with their zh-CN messages. Clients key on `code`; `message` is for people.
 * Later contexts add their own catalogs in the same shape.
 */
export const PlatformErrors = {
  VALIDATION_FAILED: { status: 400, message: '请求参数不合法' },
  MALFORMED_JSON: { status: 400, message: '请求体不是合法的 JSON' },
  FORBIDDEN_KEY: { status: 400, message: '请求中含有不允许的字段名' },
  INVALID_ID: { status: 400, message: '标识符格式不正确' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  FORBIDDEN: { status: 403, message: '无权执行此操作' },
  NOT_FOUND: { status: 404, message: '请求的资源不存在' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方法' },
  CONFLICT: { status: 409, message: '数据冲突，请刷新后重试' },
  DUPLICATE: { status: 409, message: '记录已存在' },
  BODY_TOO_LARGE: { status: 413, message: '请求体过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的内容类型' },
  TOO_MANY_REQUESTS: { status: 429, message: '请求过于频繁，请稍后再试' },
  INTERNAL_ERROR: { status: 500, message: '服务器内部错误，请稍后再试' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务繁忙，请稍后再试' },
} as const satisfies ErrorCatalog;

export type PlatformErrorCode = keyof typeof PlatformErrors;
