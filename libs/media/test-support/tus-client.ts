// A minimal tus 1.0 client for tests (creation + core protocol), over fetch against the real app.
const TUS = { 'Tus-Resumable': '1.0.0' };

function metadata(meta: Record<string, string>): string {
  return Object.entries(meta)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

export interface TusReply {
  status: number;
  headers: Headers;
  body: string;
}

async function reply(res: Response): Promise<TusReply> {
  return { status: res.status, headers: res.headers, body: await res.text() };
}

export async function tusCreate(baseUrl: string, token: string | undefined, length: number, meta: Record<string, string>, endpoint = '/api/v1/uploads'): Promise<TusReply> {
  const headers: Record<string, string> = { ...TUS, 'Upload-Length': String(length), 'Upload-Metadata': metadata(meta) };
  if (token) headers.authorization = `Bearer ${token}`;
  return reply(await fetch(`${baseUrl}${endpoint}`, { method: 'POST', headers, signal: AbortSignal.timeout(15_000) }));
}

export async function tusOffset(baseUrl: string, token: string, location: string): Promise<number> {
  const res = await fetch(new URL(location, baseUrl), { method: 'HEAD', headers: { ...TUS, authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`HEAD ${res.status}`);
  return Number(res.headers.get('upload-offset'));
}

export async function tusPatch(baseUrl: string, token: string, location: string, offset: number, bytes: Buffer): Promise<TusReply> {
  return reply(
    await fetch(new URL(location, baseUrl), {
      method: 'PATCH',
      headers: { ...TUS, authorization: `Bearer ${token}`, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(bytes),
      signal: AbortSignal.timeout(30_000),
    }),
  );
}

/**
 * Sends `bytes` from `offset` as a stream and breaks the connection after `cutAfter` bytes,
 * like a dropped mobile line: the request never completes normally.
 */
export async function tusPatchInterrupted(baseUrl: string, token: string, location: string, offset: number, bytes: Buffer, cutAfter: number): Promise<void> {
  let sent = 0;
  const chunk = 16 * 1024;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= cutAfter) {
        // Give the server time to write what it has received before the line drops.
        await new Promise((r) => setTimeout(r, 300));
        controller.error(new Error('line dropped'));
        return;
      }
      const end = Math.min(sent + chunk, cutAfter);
      controller.enqueue(bytes.subarray(sent, end));
      sent = end;
    },
  });
  await fetch(new URL(location, baseUrl), {
    method: 'PATCH',
    headers: { ...TUS, authorization: `Bearer ${token}`, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body,
    duplex: 'half',
  } as RequestInit).then(
    () => {
      throw new Error('the interrupted PATCH completed');
    },
    () => undefined,
  );
}

/** Creates and uploads in one PATCH; returns the job id header of the final response. */
export async function tusUpload(baseUrl: string, token: string, bytes: Buffer, meta: Record<string, string>, endpoint?: string): Promise<{ jobId?: string; create: TusReply; patch?: TusReply }> {
  const create = await tusCreate(baseUrl, token, bytes.length, meta, endpoint);
  if (create.status !== 201) return { create };
  if (bytes.length === 0) return { create, jobId: create.headers.get('media-job-id') ?? undefined };
  const patch = await tusPatch(baseUrl, token, create.headers.get('location')!, 0, bytes);
  return { create, patch, jobId: patch.headers.get('media-job-id') ?? undefined };
}
