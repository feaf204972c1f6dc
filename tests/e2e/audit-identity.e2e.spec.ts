// The identity use cases on the audit trail, over HTTP: each state change (accounts, sign-in,
// organisations, trainees, roster import, consent, face references) and each sensitive read writes
// exactly its records — who, what, whose, why — in the same transaction as the change; refused calls
// write none; secrets never reach the log; and a change whose record cannot be written does not happen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AuditRecord, AuditTrail } from '@app/audit';
import { residentIdCheckChar, usccCheckChar } from '@app/identity';
import { rosterXlsx, sampleIdNumber, sampleRow, SampleRow } from '../../bench/roster';
import { startTestApp, TestApp } from '../support/app';
import { auditRecords } from '../support/audit';
import { activate, call, demoPasswords, login, Reply } from '../support/auth-client';

const FACES = join(__dirname, '../../../shared/fixtures/faces');
const face = (name: string) => readFileSync(join(FACES, name));
const validId = (first17: string) => first17 + residentIdCheckChar(first17);
const uscc = (first17: string) => first17 + usccCheckChar(first17);

// Response bodies are whatever JSON the API sent.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const QUALIFIED = {
  yearsOfExperience: 3,
  fullTimeManagers: 2,
  fullTimeTeachers: 3,
  safetyTeachers: 1,
  seniorTeachers: 2,
  systems: ['needs-research', 'planning', 'management', 'archives', 'process-control', 'assessment', 'logistics'],
  digitalCourses: true,
};

describe('identity use cases on the audit trail', () => {
  let t: TestApp;
  let base: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let programId: string;
  let enterprise: { id: string; regionCode: string; uscc?: string; name: string };
  let enterprises: Json[];
  let institutionId: string;
  let consentVersion: string;
  let categoryNames: string[];

  /** What one HTTP call recorded: the records carrying its request id. */
  const recordsOf = (res: { headers: Headers }) => {
    const requestId = res.headers.get('x-request-id');
    if (!requestId) throw new Error('no x-request-id on the response');
    return auditRecords(t.app, { requestId });
  };
  const actionsOf = async (res: { headers: Headers }) => (await recordsOf(res)).map((r) => r.action);
  const actor = (who: string) => expect.objectContaining({ kind: 'user', id: ids[who], role: expect.any(String) });
  /** A record's whole text, for what must never be in it. */
  const text = (records: AuditRecord[]) => JSON.stringify(records);
  const as = (who: string, method: string, url: string, body?: unknown) => call(base, method, url, { token: tokens[who], body });

  async function multipart(url: string, who: string, fields: Record<string, string>, file?: { field: string; bytes: Buffer; name: string; type: string }): Promise<Reply> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file) form.set(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    const res = await fetch(base + url, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}` }, body: form, signal: AbortSignal.timeout(180_000) });
    return { status: res.status, body: await res.json(), headers: res.headers };
  }

  async function register(name: string, idNumber: string, who = 'yc-institution'): Promise<Reply> {
    return as(who, 'POST', '/api/v1/trainees', { programId, name, idNumber, phone: '13912345678', enterpriseId: enterprise.id, category: 'team_leader' });
  }

  const traineeTenant = () => ({ institutionId, regionCode: enterprise.regionCode });

  beforeAll(async () => {
    t = await startTestApp('audit-identity');
    base = t.baseUrl;
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'yc-hrss']) {
      tokens[u] = (await activate(base, u, pw.get(u)!)).accessToken;
      ids[u] = (await as(u, 'GET', '/api/v1/auth/me')).body.id;
    }
    const program = (await call(base, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING');
    programId = program.id;
    categoryNames = program.categories.map((c: { name: string }) => c.name);
    const orgs = (await as('yc-institution', 'GET', '/api/v1/organisations')).body.items;
    enterprises = orgs.filter((o: Json) => o.kind === 'enterprise');
    enterprise = enterprises[0];
    institutionId = orgs.find((o: Json) => o.kind === 'institution').id;
    consentVersion = (await as('yc-institution', 'GET', '/api/v1/consents/face-text')).body.version;
  }, 120_000);
  afterAll(() => t?.stop());

  it('the seed wrote its organisations, demo accounts and demo trainee as the platform, with its reason', async () => {
    const seed = (await auditRecords(t.app)).filter((r) => r.actor.kind === 'system' && r.actor.reason === '演示数据 demo seed');
    const byAction = (a: string) => seed.filter((r) => r.action === a);
    expect(byAction('organisation.create').length).toBeGreaterThanOrEqual(5);
    expect(byAction('user.create').map((r) => r.after!.username).sort()).toEqual(['admin', 'trainee', 'yc-examiner', 'yc-hrss', 'yc-institution', 'zb-hrss', 'zb-institution']);
    const [demoTrainee] = byAction('trainee.create');
    expect(demoTrainee).toMatchObject({ target: { type: 'trainee' }, tenant: { institutionId, regionCode: expect.stringMatching(/^\d{6}$/) } });
    expect(demoTrainee.after!.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(text(seed)).not.toMatch(/passwordHash|argon2/);
  });

  describe('organisations and staff accounts', () => {
    let orgId: string;
    let staffId: string;
    let staffPassword: string;

    it('organisation.create: the administrator, the institution as its own tenant; a duplicate writes nothing', async () => {
      const body = { kind: 'institution', name: '伊春审计测试培训学校', uscc: uscc('52230700MA0000AUD'), regionCode: '230700', qualification: QUALIFIED };
      const res = await as('admin', 'POST', '/api/v1/organisations', body);
      expect(res.status).toBe(201);
      orgId = res.body.id;
      const records = await recordsOf(res);
      expect(records).toEqual([
        expect.objectContaining({
          action: 'organisation.create',
          actor: { kind: 'user', id: ids.admin, role: 'admin' },
          target: { type: 'organisation', id: orgId },
          tenant: { institutionId: orgId, regionCode: '230700' },
          after: expect.objectContaining({ kind: 'institution', name: '伊春审计测试培训学校', uscc: body.uscc, regionCode: '230700', shortfalls: [] }),
          requestId: expect.any(String),
        }),
      ]);
      const again = await as('admin', 'POST', '/api/v1/organisations', { ...body, name: '另一个名字' });
      expect(again.status).toBe(409);
      expect(await recordsOf(again)).toEqual([]);
      const bad = await as('admin', 'POST', '/api/v1/organisations', { kind: 'department', name: '某局', regionCode: '230700' });
      expect(bad.status).toBe(400);
      expect(await recordsOf(bad)).toEqual([]);
    });

    it('user.create for a staff account: its organisation as the tenant, no password in the record; a taken name writes nothing', async () => {
      const res = await as('admin', 'POST', '/api/v1/users', { username: 'audit-staff', displayName: '审计测试员', role: 'institution', organisationId: orgId });
      expect(res.status).toBe(201);
      staffId = res.body.user.id;
      staffPassword = res.body.initialPassword;
      const records = await recordsOf(res);
      expect(records).toEqual([
        expect.objectContaining({
          action: 'user.create',
          actor: { kind: 'user', id: ids.admin, role: 'admin' },
          target: { type: 'user', id: staffId },
          tenant: { institutionId: orgId, regionCode: '230700' },
          after: { username: 'audit-staff', displayName: '审计测试员', role: 'institution', organisationId: orgId, mustChangeAtLogin: true, disabled: false },
        }),
      ]);
      expect(text(records)).not.toContain(staffPassword);
      const taken = await as('admin', 'POST', '/api/v1/users', { username: 'audit-staff', displayName: 'x', role: 'institution', organisationId: orgId });
      expect(taken.status).toBe(409);
      expect(await recordsOf(taken)).toEqual([]);
    });

    it('auth.login / auth.login.fail / auth.password.change / auth.refresh / auth.refresh.reuse / auth.logout', async () => {
      const wrong = await login(base, 'audit-staff', 'not-the-password-1');
      expect(wrong.status).toBe(401);
      expect(await recordsOf(wrong)).toEqual([
        expect.objectContaining({
          action: 'auth.login.fail',
          actor: { kind: 'system', reason: expect.stringContaining('unauthenticated') },
          target: { type: 'user', id: staffId },
          tenant: { institutionId: orgId, regionCode: '230700' },
          after: { code: 'AUTH_INVALID_CREDENTIALS', failures: 1 },
          ip: expect.any(String),
        }),
      ]);
      expect(text(await recordsOf(wrong))).not.toContain('not-the-password-1');

      const first = await login(base, 'audit-staff', staffPassword);
      expect(first.status).toBe(200);
      const [signedIn] = await recordsOf(first);
      expect(signedIn).toMatchObject({
        action: 'auth.login',
        actor: { kind: 'user', id: staffId, role: 'institution', organisationId: orgId, regionCode: '230700' },
        target: { type: 'user', id: staffId },
        tenant: { institutionId: orgId, regionCode: '230700' },
        after: { sessionId: expect.any(String), mustChangeAtLogin: true },
      });
      expect(await recordsOf(first)).toHaveLength(1);

      const newPassword = `${staffPassword}-Neu9`;
      const weak = await call(base, 'POST', '/api/v1/auth/password', { token: first.body.accessToken, body: { currentPassword: staffPassword, newPassword: 'short' } });
      expect(weak.status).toBe(400);
      expect(await recordsOf(weak)).toEqual([]);
      const changed = await call(base, 'POST', '/api/v1/auth/password', { token: first.body.accessToken, body: { currentPassword: staffPassword, newPassword } });
      expect(changed.status).toBe(200);
      const changeRecords = await recordsOf(changed);
      expect(changeRecords).toEqual([
        expect.objectContaining({ action: 'auth.password.change', actor: expect.objectContaining({ id: staffId, role: 'institution' }), target: { type: 'user', id: staffId }, after: { mustChangeAtLogin: false, sessionsRevoked: 0 } }),
      ]);
      expect(text(changeRecords)).not.toContain(newPassword);
      expect(text(changeRecords)).not.toContain(changed.body.refreshToken);

      const refreshed = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: changed.body.refreshToken } });
      expect(refreshed.status).toBe(200);
      const refreshRecords = await recordsOf(refreshed);
      expect(refreshRecords).toEqual([expect.objectContaining({ action: 'auth.refresh', actor: expect.objectContaining({ id: staffId }), after: { sessionId: signedIn.after!.sessionId } })]);
      expect(text(refreshRecords)).not.toContain(refreshed.body.refreshToken);
      const reused = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: changed.body.refreshToken } });
      expect(reused.body.code).toBe('AUTH_REFRESH_REUSED');
      expect(await recordsOf(reused)).toEqual([
        expect.objectContaining({ action: 'auth.refresh.reuse', actor: expect.objectContaining({ kind: 'system' }), target: { type: 'user', id: staffId }, after: { sessionId: signedIn.after!.sessionId, revoked: true } }),
      ]);
      const unknown = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: 'rt_' + 'B'.repeat(43) } });
      expect(unknown.status).toBe(401);
      expect(await recordsOf(unknown)).toEqual([]);

      const again = await login(base, 'audit-staff', newPassword);
      const out = await call(base, 'POST', '/api/v1/auth/logout', { token: again.body.accessToken });
      expect(out.status).toBe(204);
      expect(await recordsOf(out)).toEqual([
        expect.objectContaining({ action: 'auth.logout', actor: expect.objectContaining({ id: staffId }), tenant: { institutionId: orgId, regionCode: '230700' }, after: { sessionId: (await recordsOf(again))[0].after!.sessionId, revoked: true } }),
      ]);
    });

    it('auth.login.fail counts an unknown name too, the fifth failure records the lock, and attempts while locked are recorded', async () => {
      const replies: Reply[] = [];
      for (let i = 0; i < 5; i++) replies.push(await login(base, 'nobody-here', `guess-${i}-abcdefg`));
      expect(replies.at(-1)!.status).toBe(423);
      const records = (await Promise.all(replies.map(recordsOf))).flat();
      expect(records.map((r) => r.after)).toEqual([
        { code: 'AUTH_INVALID_CREDENTIALS', failures: 1 },
        { code: 'AUTH_INVALID_CREDENTIALS', failures: 2 },
        { code: 'AUTH_INVALID_CREDENTIALS', failures: 3 },
        { code: 'AUTH_INVALID_CREDENTIALS', failures: 4 },
        { code: 'AUTH_LOCKED', cause: 'AUTH_INVALID_CREDENTIALS', lockedUntil: expect.any(String) },
      ]);
      for (const r of records) expect(r).toMatchObject({ action: 'auth.login.fail', target: { type: 'login-name', id: 'nobody-here' }, tenant: {} });
      const whileLocked = await login(base, 'nobody-here', 'anything-1234');
      expect(whileLocked.status).toBe(423);
      expect(await recordsOf(whileLocked)).toEqual([expect.objectContaining({ action: 'auth.login.fail', after: { code: 'AUTH_LOCKED', lockedUntil: expect.any(String) } })]);
    });

    it('user.password.reset, user.disable and user.enable by the administrator; resetting or disabling oneself writes nothing', async () => {
      const reset = await as('admin', 'POST', `/api/v1/users/${staffId}/reset-password`);
      expect(reset.status).toBe(200);
      const resetRecords = await recordsOf(reset);
      expect(resetRecords).toEqual([
        expect.objectContaining({
          action: 'user.password.reset',
          actor: { kind: 'user', id: ids.admin, role: 'admin' },
          target: { type: 'user', id: staffId },
          tenant: { institutionId: orgId, regionCode: '230700' },
          after: { username: 'audit-staff', role: 'institution', mustChangeAtLogin: true, sessionsRevoked: expect.any(Number) },
        }),
      ]);
      expect(text(resetRecords)).not.toContain(reset.body.initialPassword);
      const disabled = await as('admin', 'PATCH', `/api/v1/users/${staffId}`, { disabled: true });
      expect(await actionsOf(disabled)).toEqual(['user.disable']);
      expect((await recordsOf(disabled))[0].after).toMatchObject({ disabled: true });
      const enabled = await as('admin', 'PATCH', `/api/v1/users/${staffId}`, { disabled: false });
      expect(await actionsOf(enabled)).toEqual(['user.enable']);
      const self = await as('admin', 'PATCH', `/api/v1/users/${ids.admin}`, { disabled: true });
      expect(self.status).toBe(403);
      expect(await recordsOf(self)).toEqual([]);
      const selfReset = await as('admin', 'POST', `/api/v1/users/${ids.admin}/reset-password`);
      expect(selfReset.status).toBe(403);
      expect(await recordsOf(selfReset)).toEqual([]);
    });
  });

  describe('trainees', () => {
    let traineeId: string;
    const idNumber = validId('23070219800101771');

    it('trainee.create with the masked ID number and phone; invalid or duplicate registrations write nothing', async () => {
      const res = await register('审计学员甲', idNumber);
      expect(res.status).toBe(201);
      traineeId = res.body.id;
      const records = await recordsOf(res);
      expect(records).toEqual([
        expect.objectContaining({
          action: 'trainee.create',
          actor: { kind: 'user', id: ids['yc-institution'], role: 'institution', organisationId: institutionId, regionCode: expect.any(String) },
          target: { type: 'trainee', id: traineeId },
          tenant: traineeTenant(),
          after: expect.objectContaining({ name: '审计学员甲', idNumber: `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`, phone: '139****5678', category: 'team_leader', status: 'active' }),
        }),
      ]);
      expect(text(records)).not.toContain(idNumber);
      expect(text(records)).not.toContain('13912345678');
      const duplicate = await register('审计学员甲', idNumber);
      expect(duplicate.status).toBe(409);
      expect(await recordsOf(duplicate)).toEqual([]);
      const invalid = await register('审计学员乙', idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1'));
      expect(invalid.status).toBe(400);
      expect(await recordsOf(invalid)).toEqual([]);
    });

    it('trainee.personal-data.read when the institution or an administrator sees the full numbers; not for masked or own reads, nor a 404', async () => {
      const inst = await as('yc-institution', 'GET', `/api/v1/trainees/${traineeId}`);
      expect(inst.body.idNumber).toBe(idNumber);
      expect(await recordsOf(inst)).toEqual([
        expect.objectContaining({ action: 'trainee.personal-data.read', actor: actor('yc-institution'), target: { type: 'trainee', id: traineeId }, tenant: traineeTenant(), after: { fields: ['idNumber', 'phone'] } }),
      ]);
      const admin = await as('admin', 'GET', `/api/v1/trainees/${traineeId}`);
      expect(await actionsOf(admin)).toEqual(['trainee.personal-data.read']);
      const auditor = await as('yc-hrss', 'GET', `/api/v1/trainees/${traineeId}`);
      expect(auditor.body.masked).toBe(true);
      expect(await recordsOf(auditor)).toEqual([]);
      const missing = await as('admin', 'GET', '/api/v1/trainees/65a000000000000000000001');
      expect(missing.status).toBe(404);
      expect(await recordsOf(missing)).toEqual([]);
    });

    it('user.create + trainee.link-user in one commit for a trainee login, user.password.reset by the institution; a second account writes nothing', async () => {
      const res = await as('yc-institution', 'POST', `/api/v1/trainees/${traineeId}/account`, { username: 'audit-trainee' });
      expect(res.status).toBe(201);
      const userId = res.body.user.id;
      const records = await recordsOf(res);
      expect(records).toEqual([
        expect.objectContaining({ action: 'user.create', target: { type: 'user', id: userId }, tenant: traineeTenant(), after: expect.objectContaining({ username: 'audit-trainee', role: 'trainee', traineeId }) }),
        expect.objectContaining({ action: 'trainee.link-user', target: { type: 'trainee', id: traineeId }, tenant: traineeTenant(), before: { userId: null }, after: { userId, username: 'audit-trainee' } }),
      ]);
      expect(records[0].at).toEqual(records[1].at);
      expect(text(records)).not.toContain(res.body.initialPassword);
      const twice = await as('yc-institution', 'POST', `/api/v1/trainees/${traineeId}/account`, { username: 'audit-trainee-2' });
      expect(twice.status).toBe(409);
      expect(await recordsOf(twice)).toEqual([]);

      const reset = await as('yc-institution', 'POST', `/api/v1/trainees/${traineeId}/account/reset-password`);
      expect(reset.status).toBe(200);
      expect(await recordsOf(reset)).toEqual([
        expect.objectContaining({ action: 'user.password.reset', actor: actor('yc-institution'), target: { type: 'user', id: userId }, tenant: traineeTenant(), after: expect.objectContaining({ traineeId, mustChangeAtLogin: true }) }),
      ]);
      const session = await activate(base, 'audit-trainee', reset.body.initialPassword);
      tokens['audit-trainee'] = session.accessToken;
      ids['audit-trainee'] = userId;
      const own = await as('audit-trainee', 'GET', `/api/v1/trainees/${traineeId}`);
      expect(own.body.idNumber).toBe(idNumber);
      expect(await recordsOf(own)).toEqual([]);
    });

    it('face-consent.grant / .withdraw by the trainee; repeating either changes and records nothing', async () => {
      const url = `/api/v1/trainees/${traineeId}/face-consent`;
      const granted = await as('audit-trainee', 'POST', url, { textVersion: consentVersion });
      expect(granted.status).toBe(200);
      const consentId = granted.body.current.id;
      expect(await recordsOf(granted)).toEqual([
        expect.objectContaining({ action: 'face-consent.grant', actor: actor('audit-trainee'), target: { type: 'face-consent', id: consentId }, tenant: traineeTenant(), after: { traineeId, textVersion: consentVersion, channel: 'online' } }),
      ]);
      const again = await as('audit-trainee', 'POST', url, { textVersion: consentVersion });
      expect(again.status).toBe(200);
      expect(await recordsOf(again)).toEqual([]);
      const outdated = await as('audit-trainee', 'POST', url, { textVersion: 'face-2000-01' });
      expect(outdated.body.code).toBe('CONSENT_TEXT_OUTDATED');
      expect(await recordsOf(outdated)).toEqual([]);
      const withdrawn = await as('audit-trainee', 'POST', `${url}/withdraw`);
      expect(await recordsOf(withdrawn)).toEqual([expect.objectContaining({ action: 'face-consent.withdraw', target: { type: 'face-consent', id: consentId }, after: { traineeId, channel: 'online' } })]);
      const twice = await as('audit-trainee', 'POST', `${url}/withdraw`);
      expect(twice.status).toBe(200);
      expect(await recordsOf(twice)).toEqual([]);
    });

    it('face-consent.paper.record, .scan.read and .paper.withdraw (reason verbatim) by the institution', async () => {
      const other = await register('审计学员丙', validId('23070219800101772'));
      const url = `/api/v1/trainees/${other.body.id}/face-consent`;
      const pdf = Buffer.from('%PDF-1.4\n% audit paper consent form\n%%EOF\n');
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      const fields = { signedOn: today, textVersion: consentVersion };
      const noScan = await multipart(`${url}/paper`, 'yc-institution', fields);
      expect(noScan.status).toBe(400);
      expect(await recordsOf(noScan)).toEqual([]);
      const recorded = await multipart(`${url}/paper`, 'yc-institution', fields, { field: 'scan', bytes: pdf, name: 'form.pdf', type: 'application/pdf' });
      expect(recorded.status).toBe(200);
      const consentId = recorded.body.current.id;
      const [paper] = await recordsOf(recorded);
      expect(paper).toMatchObject({
        action: 'face-consent.paper.record',
        actor: actor('yc-institution'),
        target: { type: 'face-consent', id: consentId },
        tenant: traineeTenant(),
        after: { traineeId: other.body.id, textVersion: consentVersion, channel: 'paper', signedOn: today, scanSha256: expect.stringMatching(/^[0-9a-f]{64}$/), scanType: 'application/pdf' },
      });
      const twice = await multipart(`${url}/paper`, 'yc-institution', fields, { field: 'scan', bytes: pdf, name: 'form.pdf', type: 'application/pdf' });
      expect(twice.body.code).toBe('CONSENT_ALREADY_ACTIVE');
      expect(await recordsOf(twice)).toEqual([]);

      const scan = await fetch(`${base}${url}/${consentId}/scan`, { headers: { authorization: `Bearer ${tokens['yc-hrss']}` } });
      expect(scan.status).toBe(200);
      expect(Buffer.from(await scan.arrayBuffer()).equals(pdf)).toBe(true);
      expect(await recordsOf(scan)).toEqual([expect.objectContaining({ action: 'face-consent.scan.read', actor: actor('yc-hrss'), target: { type: 'face-consent', id: consentId }, tenant: traineeTenant() })]);

      const reason = '学员于今日书面申请撤回，原件存档 第3号';
      const withdrawn = await as('yc-institution', 'POST', `${url}/paper-withdrawal`, { reason });
      expect(await recordsOf(withdrawn)).toEqual([
        expect.objectContaining({ action: 'face-consent.paper.withdraw', target: { type: 'face-consent', id: consentId }, tenant: traineeTenant(), reason, after: { traineeId: other.body.id, channel: 'paper' } }),
      ]);
      const notActive = await as('yc-institution', 'POST', `${url}/paper-withdrawal`, { reason: '再次撤回' });
      expect(notActive.status).toBe(409);
      expect(await recordsOf(notActive)).toEqual([]);
    });
  });

  describe('roster import and export', () => {
    const rowsOf = (n: number, from: number): SampleRow[] =>
      Array.from({ length: n }, (_, i) => ({ ...sampleRow(from + i, enterprises, categoryNames), idNumber: sampleIdNumber(from + i) }));
    const upload = (file: Buffer) => multipart('/api/v1/trainees/import', 'yc-institution', { programId }, { field: 'file', bytes: file, name: 'roster.xlsx', type: 'application/octet-stream' });

    it('roster.import: one record per created or updated row (row, masked ID, before/after of what changed); an unchanged re-import records nothing', async () => {
      const rows = rowsOf(3, 7100);
      const first = await upload(await rosterXlsx(rows));
      expect(first.body).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: 0 });
      const created = await recordsOf(first);
      expect(created.map((r) => [r.action, r.after!.outcome, r.after!.row])).toEqual([
        ['roster.import', 'created', 2],
        ['roster.import', 'created', 3],
        ['roster.import', 'created', 4],
      ]);
      for (const r of created) {
        expect(r).toMatchObject({ actor: actor('yc-institution'), target: { type: 'trainee' }, tenant: { institutionId }, after: { fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
        expect(r.after!.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      }
      expect(text(created)).not.toContain(String(rows[0].idNumber));

      const same = await upload(await rosterXlsx(rows));
      expect(same.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
      expect(await recordsOf(same)).toEqual([]);

      const moved = await upload(await rosterXlsx([rows[0], { ...rows[1], post: '矿长' }, rows[2]]));
      expect(moved.body).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
      const [updated, ...rest] = await recordsOf(moved);
      expect(rest).toEqual([]);
      expect(updated).toMatchObject({ action: 'roster.import', before: { post: rows[1].post }, after: { outcome: 'updated', row: 3, post: '矿长', changed: ['post'] } });
    });

    it('roster.export records the count of full records handed over; a refused export records nothing', async () => {
      const res = await fetch(`${base}/api/v1/trainees/export?programId=${programId}`, { headers: { authorization: `Bearer ${tokens['yc-institution']}` } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const total = (await as('yc-institution', 'GET', `/api/v1/trainees?programId=${programId}&limit=1`)).body.total;
      expect(await recordsOf(res)).toEqual([
        expect.objectContaining({ action: 'roster.export', actor: actor('yc-institution'), target: { type: 'program', id: programId }, tenant: { institutionId, regionCode: expect.any(String) }, after: expect.objectContaining({ count: total }) }),
      ]);
      const auditor = await as('yc-hrss', 'GET', `/api/v1/trainees/export?programId=${programId}`);
      expect(auditor.status).toBe(403);
      expect(await recordsOf(auditor)).toEqual([]);
    });
  });

  describe('face references', () => {
    const people: Record<string, string> = {};
    const enrol = (traineeId: string, photo: string, fields: Record<string, string> = {}) =>
      multipart(`/api/v1/trainees/${traineeId}/face-references`, 'yc-institution', fields, { field: 'image', bytes: face(photo), name: 'photo.jpg', type: 'image/jpeg' });

    beforeAll(async () => {
      // Consent on paper (no logins needed), then enrol.
      const pdf = Buffer.from('%PDF-1.4\n% consent\n%%EOF\n');
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      for (const [key, n] of [['A', 781], ['B', 782]] as const) {
        const reg = await register(`人脸审计${key}`, validId(`23070219800101${n}`));
        people[key] = reg.body.id;
        await multipart(`/api/v1/trainees/${reg.body.id}/face-consent/paper`, 'yc-institution', { signedOn: today, textVersion: consentVersion }, { field: 'scan', bytes: pdf, name: 'f.pdf', type: 'application/pdf' });
      }
    }, 60_000);

    it('face-reference.enrol (active), then face-reference.image.read; a refused enrolment records nothing', async () => {
      const res = await enrol(people.A, 'obama-1.jpg');
      expect(res.status).toBe(201);
      // The enrolment and the evidence record of its photo (issue 19), in one commit.
      const records = await recordsOf(res);
      expect(records.map((r) => r.action).sort()).toEqual(['evidence.record', 'face-reference.enrol']);
      const enrolled = records.find((r) => r.action === 'face-reference.enrol')!;
      expect(enrolled).toMatchObject({
        action: 'face-reference.enrol',
        actor: actor('yc-institution'),
        target: { type: 'face-reference', id: res.body.id },
        tenant: traineeTenant(),
        after: { traineeId: people.A, status: 'active', mode: 'add', source: 'upload', imageSha256: res.body.imageSha256, matches: [] },
      });
      expect(text([enrolled])).not.toMatch(/descriptor/);
      const noReason = await enrol(people.A, 'obama-3.jpg');
      expect(noReason.body.code).toBe('FACE_REASON_REQUIRED');
      expect(await recordsOf(noReason)).toEqual([]);
      const two = await enrol(people.A, 'two-people.jpg', { reason: '再拍一张' });
      expect(two.status).toBe(422);
      expect(await recordsOf(two)).toEqual([]);

      const img = await fetch(base + res.body.imageUrl, { headers: { authorization: `Bearer ${tokens['yc-hrss']}` } });
      expect(img.status).toBe(200);
      await img.arrayBuffer();
      expect(await recordsOf(img)).toEqual([
        expect.objectContaining({ action: 'face-reference.image.read', actor: actor('yc-hrss'), target: { type: 'face-reference', id: res.body.id }, tenant: traineeTenant(), after: expect.objectContaining({ imageSha256: res.body.imageSha256 }) }),
      ]);
    }, 240_000);

    it('held_for_review is recorded with its matches, the review with its 审核意见 as the reason; a second decision records nothing', async () => {
      const held = await enrol(people.B, 'obama-2.jpg');
      expect(held.status).toBe(202);
      const heldRecords = await recordsOf(held);
      expect(heldRecords).toHaveLength(2);
      expect(heldRecords).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'face-reference.enrol', after: expect.objectContaining({ status: 'held_for_review', matches: [expect.objectContaining({ traineeId: people.A })] }) }),
          expect.objectContaining({ action: 'evidence.record' }),
        ]),
      );
      const url = `/api/v1/trainees/${people.B}/face-references/${held.body.id}/review`;
      const reason = '与学员A为同一人，疑似代学';
      const rejected = await as('yc-hrss', 'POST', url, { decision: 'reject', reason });
      expect(rejected.status).toBe(200);
      expect(await recordsOf(rejected)).toEqual([
        expect.objectContaining({ action: 'face-reference.review', actor: actor('yc-hrss'), target: { type: 'face-reference', id: held.body.id }, tenant: traineeTenant(), reason, before: { status: 'held_for_review' }, after: { traineeId: people.B, decision: 'reject', status: 'rejected' } }),
      ]);
      const again = await as('yc-hrss', 'POST', url, { decision: 'approve', reason: '改判' });
      expect(again.status).toBe(409);
      expect(await recordsOf(again)).toEqual([]);
    }, 240_000);

    it('a replacement records the new reference and, in the same commit, the one it retires', async () => {
      const reason = '原照片光线不佳，重新采集';
      const old = (await as('yc-institution', 'GET', `/api/v1/trainees/${people.A}/face-references`)).body.items[0].id;
      const res = await enrol(people.A, 'obama-3.jpg', { reason, mode: 'replace', source: 'webcam' });
      expect(res.status).toBe(201);
      const all = await recordsOf(res);
      // Beside the new photo's evidence record (issue 19).
      expect(all.filter((r) => r.action === 'evidence.record')).toHaveLength(1);
      const records = all.filter((r) => r.action !== 'evidence.record');
      expect(records).toEqual([
        expect.objectContaining({ action: 'face-reference.enrol', target: { type: 'face-reference', id: res.body.id }, reason, after: expect.objectContaining({ status: 'active', mode: 'replace', source: 'webcam' }) }),
        expect.objectContaining({ action: 'face-reference.retire', target: { type: 'face-reference', id: old }, reason, before: { status: 'active' }, after: { traineeId: people.A, status: 'retired', replacedBy: res.body.id } }),
      ]);
      expect(new Set(all.map((r) => String(r.at))).size).toBe(1);
    }, 240_000);
  });

  describe('a change whose record cannot be written does not happen', () => {
    let append: jest.SpyInstance | undefined;
    /** The next append of a record fails (as a full disk or a lost primary would make it). */
    const failNextAppend = () => {
      append = jest.spyOn(t.app.get(AuditTrail) as unknown as { append: () => Promise<void> }, 'append').mockRejectedValueOnce(new Error('审计日志写入失败 (audit append failed)'));
    };
    afterEach(() => append?.mockRestore());

    it('trainee registration: 500, no trainee, no record; the same request then succeeds once', async () => {
      const idNumber = validId('23070219800101791');
      failNextAppend();
      const failed = await register('原子性学员', idNumber);
      expect(failed.status).toBe(500);
      expect(await recordsOf(failed)).toEqual([]);
      const found = await as('yc-institution', 'GET', `/api/v1/trainees?idNumber=${idNumber}`);
      expect(found.body.total).toBe(0);
      const raw = await t.app.get<Connection>(getConnectionToken()).collection('trainees').countDocuments({ name: '原子性学员' });
      expect(raw).toBe(0);
      const ok = await register('原子性学员', idNumber);
      expect(ok.status).toBe(201);
      expect(await actionsOf(ok)).toEqual(['trainee.create']);
    });

    it('a trainee login: neither the account nor the link to the record commits', async () => {
      const reg = await register('原子性学员乙', validId('23070219800101792'));
      failNextAppend();
      const failed = await as('yc-institution', 'POST', `/api/v1/trainees/${reg.body.id}/account`, { username: 'atomic-trainee' });
      expect(failed.status).toBe(500);
      expect(await recordsOf(failed)).toEqual([]);
      const conn = t.app.get<Connection>(getConnectionToken());
      expect(await conn.collection('users').countDocuments({ username: 'atomic-trainee' })).toBe(0);
      expect((await as('yc-institution', 'GET', `/api/v1/trainees/${reg.body.id}/account`)).body.exists).toBe(false);
      const ok = await as('yc-institution', 'POST', `/api/v1/trainees/${reg.body.id}/account`, { username: 'atomic-trainee' });
      expect(ok.status).toBe(201);
      expect(await actionsOf(ok)).toEqual(['user.create', 'trainee.link-user']);
    });
  });
});
