import { ApiError } from '../api/errors';

/** What every study event's ack is when it failed: the platform's error shape. */
export interface AckFailure {
  error: { code: string; message: string; status?: number; details?: unknown };
}

export function isAckFailure(ack: unknown): ack is AckFailure {
  if (!ack || typeof ack !== 'object' || !('error' in ack)) return false;
  const error = (ack as { error: unknown }).error;
  return !!error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string';
}

/** The ack's result, or an {@link ApiError} carrying the server's code and zh-CN message. */
export function ackResult<T>(ack: T | AckFailure | undefined): T {
  if (isAckFailure(ack)) {
    const { code, message, status, details } = ack.error;
    throw new ApiError(code, typeof message === 'string' && message ? message : '学习服务返回错误', status, details);
  }
  if (ack === undefined || ack === null) throw new ApiError('EMPTY_ACK', '学习服务没有应答，请稍后重试');
  return ack;
}

/** Codes after which this session is over: stop, do not retry. */
const SESSION_OVER = new Set(['SESSION_SUPERSEDED', 'SESSION_ENDED', 'SESSION_NOT_FOUND']);

export function isSessionOver(error: ApiError): boolean {
  return SESSION_OVER.has(error.code);
}
