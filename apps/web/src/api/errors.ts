/** The platform's single error shape, for HTTP and socket.io alike. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

/** Turns whatever a failed call produced into an {@link ApiError} with a message fit to show. */
export function toApiError(error: unknown, response?: Response): ApiError {
  if (error instanceof ApiError) return error;
  if (isApiErrorBody(error)) return new ApiError(error.code, error.message, response?.status, error.details);
  if (response) {
    // Not our shape: a proxy or gateway answered. Say so rather than show its HTML.
    return new ApiError('HTTP_ERROR', `服务器返回异常（HTTP ${response.status}），请稍后重试`, response.status);
  }
  if (error instanceof DOMException && error.name === 'AbortError') return new ApiError('ABORTED', '请求已取消');
  return new ApiError('NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
}

interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its data, or throws an {@link ApiError}. */
export async function unwrap<D>(call: Promise<Outcome<D>>): Promise<D> {
  let outcome: Outcome<D>;
  try {
    outcome = await call;
  } catch (e) {
    throw toApiError(e);
  }
  if (outcome.error !== undefined || !outcome.response.ok) throw toApiError(outcome.error, outcome.response);
  return outcome.data as D;
}
