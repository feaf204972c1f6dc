import createClient from 'openapi-fetch';
import { authorizedFetch } from '../auth/authorized-fetch';
import type { paths } from './schema';

export { ApiError, isApiErrorBody, toApiError, unwrap, type ApiErrorBody } from './errors';

/**
 * The one client every page uses. Same origin: the API serves the console in production and
 * Vite proxies /api and /health in development. The types come from the API's OpenAPI
 * document (`npm run openapi && npm run api:types`), so a changed contract breaks the build.
 * Requests carry the signed-in user's access token and survive its expiry (see authorizedFetch).
 */
export const api = createClient<paths>({ baseUrl: '', fetch: (request) => authorizedFetch(request) });
