import { toApiError } from './errors';
import type { KioskResult, KioskView } from './offline';

/**
 * The kiosk has no login: its credential (from the institution's "开启签到终端") goes in the
 * Authorization header of its two calls and nowhere else.
 */
async function kioskFetch<T>(token: string, init?: RequestInit): Promise<T> {
  const url = init?.method === 'POST' ? '/api/v1/offline/kiosk/captures' : '/api/v1/offline/kiosk';
  const response = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}` } });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw toApiError(body, response);
  return body as T;
}

export const fetchKioskView = (token: string) => kioskFetch<KioskView>(token);

export function submitFrame(token: string, frame: Blob): Promise<KioskResult> {
  const form = new FormData();
  form.append('image', frame, 'frame.jpg');
  return kioskFetch<KioskResult>(token, { method: 'POST', body: form });
}
