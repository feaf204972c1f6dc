import { authorizedFetch } from '../auth/authorized-fetch';
import { toApiError } from './errors';

async function failure(response: Response): Promise<never> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  throw toApiError(body, response);
}

/**
 * For calls the typed JSON client does not model well (multipart uploads, file downloads): the
 * same token handling, and failures as ApiError with the API's zh-CN message.
 */
export async function sendRaw(request: Request): Promise<Response> {
  let response: Response;
  try {
    response = await authorizedFetch(request);
  } catch (e) {
    throw toApiError(e);
  }
  return response.ok ? response : failure(response);
}

/** An authorised file as an object URL with its type (the caller revokes the URL). */
export async function objectOf(path: string, signal?: AbortSignal): Promise<{ url: string; type: string }> {
  const response = await sendRaw(new Request(path, { signal }));
  const blob = await response.blob();
  return { url: URL.createObjectURL(blob), type: blob.type };
}
