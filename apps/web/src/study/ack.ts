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
const SESSION_OVER = new Set(['SESSION_SUPERSEDED', 'SESSION_ENDED', 'SESSION_TERMINATED', 'SESSION_NOT_FOUND']);

export function isSessionOver(error: ApiError): boolean {
  return SESSION_OVER.has(error.code);
}

/**
 * Whether the server refused the lesson itself (unknown lesson, not enrolled, not published, no
 * face reference, a malformed id): reconnecting cannot change that, so the page says why and stops.
 * A busy server, an expired login or a lost ack are worth another try.
 */
export function refusesLesson(error: ApiError): boolean {
  if (error.status === undefined || error.status < 400 || error.status >= 500) return false;
  if (error.status === 401 || error.status === 408 || error.status === 429) return false;
  return !error.code.endsWith('_BUSY') && !error.code.startsWith('AUTH_');
}

/**
 * How long to wait before sending the same thing again by itself, or undefined when repeating would
 * not help. A busy server or face engine says when (`retryAfterSeconds`, or the number of seconds in
 * its message); an ack that never came is tried again soon. Bounded to 0.2–30 s.
 */
export function retryDelayMs(error: ApiError): number | undefined {
  if (error.code === 'ACK_TIMEOUT') return 1000;
  if (!error.code.endsWith('_BUSY')) return undefined;
  const details = error.details as { retryAfterSeconds?: unknown } | undefined;
  const seconds = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : Number(/(\d+)\s*秒/.exec(error.message)?.[1] ?? 1);
  return Math.max(0.2, Math.min(30, Number.isFinite(seconds) ? seconds : 1)) * 1000;
}
