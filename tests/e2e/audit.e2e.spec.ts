// The audit trail over HTTP: the chain verifies, the scheduled checkpoint can be exported and
// brought back, a forged checkpoint is refused, and /health reports the chain.
import { activate, call, demoPasswords } from '../support/auth-client';
import { startTestApp, TestApp } from '../support/app';

jest.setTimeout(120_000);

let t: TestApp;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestApp('audit-http');
  const passwords = demoPasswords(t.app);
  for (const user of ['admin', 'yc-hrss', 'yc-institution', 'trainee']) tokens[user] = (await activate(t.baseUrl, user, passwords.get(user)!)).accessToken;
});
afterAll(async () => {
  await t?.stop();
});

async function latestCheckpoint(token: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await call(t.baseUrl, 'GET', '/api/v1/audit/checkpoints/latest', { token });
    if (res.status === 200) return res;
    // The recurring audit.checkpoint job makes the first one at start-up.
    expect(res.body.code).toBe('AUDIT_NO_CHECKPOINT');
    if (Date.now() > deadline) throw new Error('no checkpoint within 30 s of start-up');
    await new Promise((r) => setTimeout(r, 500));
  }
}

it('verifies the chain on request and keeps the result for the status page', async () => {
  const res = await call(t.baseUrl, 'GET', '/api/v1/audit/verify', { token: tokens['yc-hrss'] });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ intact: true, problems: [] });
  const status = await call(t.baseUrl, 'GET', '/api/v1/audit/status', { token: tokens.admin });
  expect(status.body).toMatchObject({ chain: 'intact', report: { intact: true } });
});

it('exports the signed checkpoint, verifies against it, and refuses a forged one', async () => {
  const exported = await latestCheckpoint(tokens.admin);
  expect(exported.body).toMatchObject({ v: 1, algorithm: 'Ed25519', publicKey: expect.stringContaining('BEGIN PUBLIC KEY') });
  const against = await call(t.baseUrl, 'POST', '/api/v1/audit/verify', { token: tokens['yc-hrss'], body: exported.body });
  expect(against.status).toBe(200);
  expect(against.body).toMatchObject({ intact: true, checkpoint: { number: exported.body.number } });

  const forged = { ...exported.body, heads: exported.body.heads.map((h: { seq: number }) => ({ ...h, seq: h.seq + 5 })) };
  const refused = await call(t.baseUrl, 'POST', '/api/v1/audit/verify', { token: tokens.admin, body: forged });
  expect(refused.status).toBe(200);
  expect(refused.body.intact).toBe(false);
  expect(refused.body.problems).toEqual([expect.objectContaining({ kind: 'checkpoint', checkpoint: exported.body.number })]);

  // The export and the checks against a checkpoint are themselves on the record.
  const again = await call(t.baseUrl, 'GET', '/api/v1/audit/verify', { token: tokens.admin });
  expect(again.body.records).toBeGreaterThanOrEqual(3);
});

it('answers bad input with a 400 and other roles with a 403', async () => {
  const bad = await call(t.baseUrl, 'POST', '/api/v1/audit/verify', { token: tokens.admin, body: { v: 1, number: 'x' } });
  expect(bad.status).toBe(400);
  for (const user of ['yc-institution', 'trainee']) {
    expect((await call(t.baseUrl, 'GET', '/api/v1/audit/verify', { token: tokens[user] })).status).toBe(403);
  }
});

it('shows the chain in /health', async () => {
  const res = await fetch(`${t.baseUrl}/health`);
  const body = (await res.json()) as { info?: Record<string, { status: string; chain?: string }> };
  expect(body.info?.audit).toMatchObject({ status: 'up', chain: expect.stringMatching(/^(intact|unverified)$/) });
});
