import { startTestApp, TestApp } from '../support/app';

/** Every failure a client can cause must be a 4xx in the one shape, with no internals. */
function expectErrorShape(status: number, body: unknown, context: string): void {
  expect({ context, status: status >= 400 && status < 500 }).toEqual({ context, status: true });
  const b = body as Record<string, unknown>;
  expect(typeof b.code).toBe('string');
  expect(b.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  expect(typeof b.message).toBe('string');
  // zh-CN first: the message carries Chinese text.
  expect(b.message).toMatch(/[\u4e00-\u9fff]/);
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/at [\w.<>]+ \(|\.ts:\d+|node_modules|stack/i);
}

describe('platform over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('platform');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reports health with the database mode, storage and a request id', async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(body.info.database).toMatchObject({ status: 'up', mode: 'external' });
    expect(body.info.storage.status).toBe('up');
    // Test apps start the face engine on first use, and say so.
    expect(body.info.face).toMatchObject({ status: 'up', state: 'idle' });
  });

  it('serves OpenAPI at /api/docs', async () => {
    const html = await fetch(`${t.baseUrl}/api/docs`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('swagger');
    const doc = await (await fetch(`${t.baseUrl}/api/docs-json`)).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/v1/programs']));
  });

  it('lists the seeded programmes with their sourced deadlines', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/programs`);
    expect(res.status).toBe(200);
    const { items } = await res.json();
    const codes = items.map((p: { code: string }) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['CN-2023-4IND', 'SD-2023-6IND', 'JL-2022-HAZCHEM', 'YC-2025-MINING', 'ZB-2024']));
    const yichun = items.find((p: { code: string }) => p.code === 'YC-2025-MINING');
    expect(yichun.deadlines).toContainEqual({ date: '2025-04-30', description: '2025年4月底前实现培训全覆盖', source: '伊应急函〔2025〕41号 §三(二)' });
  });

  it('answers an unknown API route with 404 in the error shape', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: '接口不存在' });
  });

  it('sets security headers and no x-powered-by', async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('malformed requests are 4xx in the error shape', () => {
    const json = { 'content-type': 'application/json' };
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    const cases: Array<[string, string, RequestInit, number, string]> = [
      ['broken JSON', '/api/v1/programs', { method: 'POST', headers: json, body: '{"name": ' }, 400, 'MALFORMED_JSON'],
      ['JSON with a trailing comma', '/api/v1/programs', { method: 'POST', headers: json, body: '{"a":1,}' }, 400, 'MALFORMED_JSON'],
      ['a bare string (strict JSON)', '/api/v1/programs', { method: 'POST', headers: json, body: '"hello"' }, 400, 'MALFORMED_JSON'],
      ['wrong content type', '/api/v1/programs', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['form encoding', '/api/v1/programs', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a body over the limit', '/api/v1/programs', { method: 'POST', headers: json, body: huge }, 413, 'BODY_TOO_LARGE'],
      ['__proto__ key', '/api/v1/programs', { method: 'POST', headers: json, body: '{"__proto__": {"isAdmin": true}}' }, 400, 'FORBIDDEN_KEY'],
      ['nested constructor.prototype', '/api/v1/programs', { method: 'POST', headers: json, body: '{"a": {"constructor": {"prototype": {"x": 1}}}}' }, 400, 'FORBIDDEN_KEY'],
      ['Mongo operator in a string field', '/api/v1/programs', { method: 'POST', headers: json, body: '{"code": {"$gt": ""}}' }, 400, 'FORBIDDEN_KEY'],
      ['$where injection', '/api/v1/programs', { method: 'POST', headers: json, body: '{"$where": "sleep(1000)"}' }, 400, 'FORBIDDEN_KEY'],
      ['unsupported charset', '/api/v1/programs', { method: 'POST', headers: { 'content-type': 'application/json; charset=latin-9' }, body: '{}' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['unknown route', '/api/v1/x/y/z', { method: 'DELETE' }, 404, 'ROUTE_NOT_FOUND'],
      ['unknown method on a known path', '/api/v1/programs', { method: 'PATCH', headers: json, body: '{}' }, 404, 'ROUTE_NOT_FOUND'],
      ['path traversal', '/api/v1/files/..%2f..%2f..%2fetc%2fpasswd', { method: 'GET' }, 404, 'ROUTE_NOT_FOUND'],
    ];

    it.each(cases)('%s', async (_name, path, init, status, code) => {
      const res = await fetch(`${t.baseUrl}${path}`, init);
      const body = await res.json();
      expectErrorShape(res.status, body, _name);
      expect([res.status, body.code]).toEqual([status, code]);
    });
  });
});

describe('platform limits and socket.io', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('limits', { THROTTLE_LIMIT: '5', THROTTLE_TTL_MS: '60000' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('rate-limits a client with 429 in the error shape, but never /health', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await fetch(`${t.baseUrl}/api/v1/programs`)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await fetch(`${t.baseUrl}/api/v1/programs`);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ code: 'TOO_MANY_REQUESTS', message: '请求过于频繁，请稍后再试' });
    for (let i = 0; i < 10; i++) expect((await fetch(`${t.baseUrl}/health`)).status).toBe(200);
  });

  it('answers socket.io pings and reports bad payloads in the same error shape', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(t.baseUrl, { transports: ['websocket'], reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const ok = await socket.timeout(5000).emitWithAck('platform:ping', { clientTime: 42 });
      expect(ok).toMatchObject({ clientTime: 42, serverTime: expect.any(Number) });

      const errorEvent = new Promise((resolve) => socket.once('error:app', resolve));
      const bad = await socket.timeout(5000).emitWithAck('platform:ping', { clientTime: 'soon', extra: { $gt: '' } });
      expect(bad.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求参数不合法', status: 400 });
      const fields = (bad.error.details.fields as Array<{ field: string }>).map((f) => f.field).sort();
      expect(fields).toEqual(['clientTime', 'extra']);
      expect(await errorEvent).toMatchObject({ code: 'VALIDATION_FAILED' });
    } finally {
      socket.close();
    }
  });
});
