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

/** An authorised image as an object URL for <img> (the caller revokes it). */
export async function objectUrlOf(path: string, signal?: AbortSignal): Promise<string> {
  const response = await sendRaw(new Request(path, { signal }));
  return URL.createObjectURL(await response.blob());
}
