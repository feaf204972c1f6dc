import { currentAccessToken } from '../auth/token-store';

const TUS = { 'Tus-Resumable': '1.0.0' };
const CHUNK = 8 * 1024 * 1024;
const RETRIES = 5;
const STORE = 'tus-uploads';

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

/** An unfinished upload remembered across page reloads (a File cannot be kept: the user picks it again). */
export interface PendingUpload {
  key: string;
  location: string;
  name: string;
  size: number;
  /** Fraction sent when last seen. */
  sent: number;
  group?: string;
}

function pending(): Record<string, PendingUpload> {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '{}') as Record<string, PendingUpload>;
  } catch {
    return {};
  }
}

function remember(p: PendingUpload | { key: string; remove: true }): void {
  const all = pending();
  if ('remove' in p) delete all[p.key];
  else all[p.key] = p;
  localStorage.setItem(STORE, JSON.stringify(all));
}

/** Unfinished uploads of a group (e.g. one session's recording), for "pick the file again to resume". */
export const pendingUploads = (group: string): PendingUpload[] => Object.values(pending()).filter((p) => p.group === group);

export interface TusOptions {
  endpoint: string;
  file: File;
  metadata: Record<string, string>;
  onProgress: (fraction: number) => void;
  /** When set, the upload's address is kept in localStorage under this group, so that after a reload the same file resumes. */
  group?: string;
}

/**
 * Resumable upload of one file over tus 1.0: 8 MB PATCH requests; after a network failure the
 * client asks the server for its offset (HEAD) and continues from there, and with a group it
 * continues after a page reload too, so a multi-GB upload on a bad line never starts over.
 * Resolves with the headers of the response that completed it.
 */
export async function tusUpload({ endpoint, file, metadata, onProgress, group }: TusOptions): Promise<Headers> {
  const key = `${endpoint}|${group ?? ''}|${file.name}|${file.size}|${file.lastModified}`;
  let location: string | undefined;
  let offset = 0;
  const known = group ? pending()[key] : undefined;
  if (known) {
    const head = await fetch(known.location, { method: 'HEAD', headers: { ...TUS, ...auth() } }).catch(() => undefined);
    if (head?.ok) {
      location = known.location;
      offset = Number(head.headers.get('Upload-Offset'));
    } else remember({ key, remove: true });
  }
  if (!location) {
    const meta = Object.entries({ ...metadata, filename: file.name }).map(([k, v]) => `${k} ${b64(v)}`).join(',');
    const created = await fetch(endpoint, { method: 'POST', headers: { ...TUS, ...auth(), 'Upload-Length': String(file.size), 'Upload-Metadata': meta } });
    if (created.status !== 201) throw await errorOf(created);
    location = created.headers.get('Location')!;
    if (file.size === 0) return created.headers;
  }
  const at = location;
  onProgress(offset / file.size);
  let failures = 0;
  for (;;) {
    try {
      if (group) remember({ key, location: at, name: file.name, size: file.size, sent: offset / file.size, group });
      const res = await fetch(at, {
        method: 'PATCH',
        headers: { ...TUS, ...auth(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: file.slice(offset, offset + CHUNK),
      });
      if (res.status !== 204) {
        const error = await errorOf(res);
        // Refused (not ours, session closed, not acceptable): retrying cannot help; 409 is an offset to re-read.
        if (res.status >= 400 && res.status < 500 && res.status !== 409) {
          if (group) remember({ key, remove: true });
          return Promise.reject(error);
        }
        throw error;
      }
      offset = Number(res.headers.get('Upload-Offset'));
      onProgress(offset / file.size);
      if (offset >= file.size) {
        if (group) remember({ key, remove: true });
        return res.headers;
      }
      failures = 0;
    } catch (e) {
      if (++failures > RETRIES) throw e;
      await new Promise((r) => setTimeout(r, 1000 * failures));
      const head = await fetch(at, { method: 'HEAD', headers: { ...TUS, ...auth() } }).catch(() => undefined);
      if (head?.ok) offset = Number(head.headers.get('Upload-Offset'));
    }
  }
}
