import { sendRaw } from './raw';

/** "attachment; filename=…; filename*=UTF-8''%E5%AD…" → the UTF-8 name when given. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const utf8 = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (utf8) {
    try {
      return decodeURIComponent(utf8);
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

/** Saves a file the API answers with; the request needs the bearer token, so no plain link. */
export async function downloadFrom(path: string, fallbackName: string): Promise<void> {
  const response = await sendRaw(new Request(path));
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = attachmentName(response.headers.get('content-disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser the click's turn to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
