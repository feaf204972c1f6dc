import { currentAccessToken } from '../../auth/token-store';

const TUS = { 'Tus-Resumable': '1.0.0' };
const CHUNK = 8 * 1024 * 1024;
const RETRIES = 5;

function b64(s: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(s)));
}

function auth(): Record<string, string> {
  const token = currentAccessToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function errorOf(res: Response): Promise<Error> {
  try {
    const body = (await res.json()) as { message?: string };
    return new Error(body.message ?? `上传失败（${res.status}）`);
  } catch {
    return new Error(`上传失败（${res.status}）`);
  }
}

/**
 * Resumable upload of one video over tus 1.0: 8 MB PATCH requests; after a network failure the
 * client asks the server for its offset (HEAD) and continues from there, so a multi-GB upload on
 * a bad line never starts over. Returns the packaging job id the server queued.
 */
export async function uploadVideo(file: File, lessonId: string, onProgress: (fraction: number) => void): Promise<string> {
  const created = await fetch('/api/v1/uploads', {
    method: 'POST',
    headers: { ...TUS, ...auth(), 'Upload-Length': String(file.size), 'Upload-Metadata': `lessonId ${b64(lessonId)},filename ${b64(file.name)}` },
  });
  if (created.status !== 201) throw await errorOf(created);
  const location = created.headers.get('Location')!;
  if (file.size === 0) return created.headers.get('Media-Job-Id') ?? '';
  let offset = 0;
  let failures = 0;
  for (;;) {
    try {
      const res = await fetch(location, {
        method: 'PATCH',
        headers: { ...TUS, ...auth(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: file.slice(offset, offset + CHUNK),
      });
      if (res.status !== 204) throw await errorOf(res);
      offset = Number(res.headers.get('Upload-Offset'));
      onProgress(offset / file.size);
      if (offset >= file.size) return res.headers.get('Media-Job-Id') ?? '';
      failures = 0;
    } catch (e) {
      if (++failures > RETRIES) throw e;
      await new Promise((r) => setTimeout(r, 1000 * failures));
      const head = await fetch(location, { method: 'HEAD', headers: { ...TUS, ...auth() } }).catch(() => undefined);
      if (head?.ok) offset = Number(head.headers.get('Upload-Offset'));
    }
  }
}
