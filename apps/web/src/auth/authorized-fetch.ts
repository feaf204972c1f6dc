import createClient from 'openapi-fetch';
import { ApiError, isApiErrorBody, toApiError, unwrap } from '../api/errors';
import type { paths } from '../api/schema';
import { emitAuthEvent } from './auth-events';
import { clearTokens, currentAccessToken, saveTokens, storedRefreshToken, type TokenPair } from './token-store';

/**
 * Login and refresh go through their own client without the bearer/retry logic: a failing
 * refresh must not trigger another refresh.
 */
// fetch is looked up per call (openapi-fetch would capture it at creation), like authorizedFetch does.
export const publicApi = createClient<paths>({ baseUrl: '', fetch: (request) => fetch(request) });

/** 401 codes after which the session is over and only a new login helps. */
const SESSION_ENDED = new Set(['AUTH_TOKEN_INVALID', 'AUTH_SESSION_REVOKED', 'AUTH_REFRESH_REUSED', 'AUTH_ACCOUNT_DISABLED']);

let refreshing: Promise<TokenPair> | undefined;

/**
 * Exchanges the stored refresh token for a new pair. Concurrent callers share one exchange:
 * the token is single-use, and a second exchange with it would be taken for theft and end the
 * session (React's development double effects and parallel 401s both cause that).
 */
export function refreshTokens(): Promise<TokenPair> {
  refreshing ??= (async () => {
    const refreshToken = storedRefreshToken();
    if (!refreshToken) throw new ApiError('AUTH_NOT_SIGNED_IN', '请先登录', 401);
    try {
      const pair = await unwrap(publicApi.POST('/api/v1/auth/refresh', { body: { refreshToken } }));
      saveTokens(pair);
      return pair;
    } catch (e) {
      const error = toApiError(e);
      // A network failure leaves the token valid for another try; an answer from the API does not.
      if (error.status === 401 || error.status === 403) clearTokens();
      throw error;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function errorCode(response: Response): Promise<{ code?: string; body?: unknown }> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return {};
  try {
    const body: unknown = await response.clone().json();
    return { code: isApiErrorBody(body) ? body.code : undefined, body };
  } catch {
    return {};
  }
}

function withBearer(request: Request): Request {
  const token = currentAccessToken();
  // A Request's own headers are mutable (guard "request"); Authorization is not a forbidden name.
  if (token) request.headers.set('authorization', `Bearer ${token}`);
  return request;
}

/**
 * The fetch behind the console's `api` client: sends the access token, and when the API says it
 * has expired, refreshes once and repeats the request; a session the API has ended is reported
 * so the console can return to the login page.
 */
export async function authorizedFetch(request: Request): Promise<Response> {
  // The body can be read only once; keep a copy for the retry.
  const spare = request.clone();
  const response = await fetch(withBearer(request));
  if (response.status !== 401 && response.status !== 403) return response;

  const { code, body } = await errorCode(response);
  if (code === 'AUTH_PASSWORD_CHANGE_REQUIRED') {
    emitAuthEvent({ type: 'password-change-required' });
    return response;
  }
  if (code === 'AUTH_TOKEN_EXPIRED' && storedRefreshToken()) {
    try {
      await refreshTokens();
    } catch (e) {
      const error = toApiError(e);
      if (error.status === 401 || error.status === 403) emitAuthEvent({ type: 'signed-out', reason: error });
      return response;
    }
    return fetch(withBearer(spare));
  }
  if (code && SESSION_ENDED.has(code) && isApiErrorBody(body)) {
    clearTokens();
    emitAuthEvent({ type: 'signed-out', reason: new ApiError(body.code, body.message, response.status) });
  }
  return response;
}
