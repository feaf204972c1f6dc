import { randomBytes } from 'node:crypto';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import {
  DEMO_TRAINEE_ID_NUMBER,
  FieldCipher,
  FieldCryptoError,
  IdentityOptions,
  IdentityOptionsToken,
  residentIdCheckChar,
  systemScope,
  TraineeRepository,
} from '@app/identity';
import { startTestApp, TestApp } from '../support/app';
import { activate, call, demoPasswords, login } from '../support/auth-client';
import { scopes } from '../support/scopes';

const validId = (first17: string) => first17 + residentIdCheckChar(first17);

describe('trainee records over HTTP', () => {
  let t: TestApp;
  let base: string;
  const tokens: Record<string, string> = {};
  let programId: string;
  let zbProgramId: string;
  let enterpriseId: string;
  let institutionId: string;

  beforeAll(async () => {
    t = await startTestApp('trainees');
    base = t.baseUrl;
    const pw = demoPasswords(t.app);
    for (const u of ['admin', 'yc-institution', 'yc-hrss', 'trainee']) tokens[u] = (await activate(base, u, pw.get(u)!)).accessToken;
    const programs = (await call(base, 'GET', '/api/v1/programs')).body.items;
    programId = programs.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
    zbProgramId = programs.find((p: { code: string }) => p.code === 'ZB-2024').id;
    const orgs = (await call(base, 'GET', '/api/v1/organisations', { token: tokens['yc-institution'] })).body.items;
    enterpriseId = orgs.find((o: { kind: string }) => o.kind === 'enterprise').id;
    institutionId = orgs.find((o: { kind: string }) => o.kind === 'institution').id;
  });
  afterAll(() => t?.stop());

  const register = (body: object, who = 'yc-institution') => call(base, 'POST', '/api/v1/trainees', { token: tokens[who], body });
  const person = (idNumber: string, extra: object = {}) => ({
    programId,
    name: '李四',
    idNumber,
    phone: '13912345678',
    enterpriseId,
    category: 'safety_manager',
    post: '安全员',
    ...extra,
  });

  it('registers a trainee with birth date and sex derived from the ID number', async () => {
    const res = await register(person(validId('23070219880808202')));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '李四',
      idNumber: validId('23070219880808202'),
      phone: '13912345678',
      masked: false,
      birthDate: '1988-08-08',
      sex: 'female',
      institutionId,
      status: 'active',
    });
  });

  it.each([
    ['23070219880808202' + 'Y', '身份证号前17位应为数字，最后一位为数字或 X'],
    [validId('23070219880230202').slice(0, 17) + '0', '身份证号中的出生日期不存在或晚于今天'],
    [validId('23070219880808203').slice(0, 17) + (validId('23070219880808203')[17] === '1' ? '2' : '1'), '身份证号校验位不正确'],
    ['2307021988080820', '身份证号应为18位（第一代15位身份证已停止使用）'],
  ])('refuses the ID number %s with 400 naming the field and reason', async (idNumber, reason) => {
    const res = await register(person(idNumber));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields).toEqual([{ field: 'idNumber', reasons: [reason] }]);
  });

  it('collects every problem of one request', async () => {
    const res = await register(person(validId('23070219880808204'), { programId: zbProgramId, category: 'no_such', enterpriseId: institutionId }));
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['category', 'enterpriseId']);
  });

  it('refuses a second record of the same person in the same program with 409, but allows another program', async () => {
    const id = validId('23070219750505301');
    expect((await register(person(id))).status).toBe(201);
    const again = await register(person(' ' + id.toLowerCase() + ' ', { name: '别名' }));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TRAINEE_DUPLICATE');
    expect(again.body.details.fields[0].field).toBe('idNumber');
    const admin = await register({ ...person(id), programId: zbProgramId, category: 'team_leader', institutionId }, 'admin');
    expect(admin.status).toBe(201);
  });

  it('requires administrators to name the institution', async () => {
    const res = await register(person(validId('23070219660606401')), 'admin');
    expect(res.status).toBe(400);
    expect(res.body.details.fields[0].field).toBe('institutionId');
  });

  it('keeps ID numbers and phones unreadable in the raw database documents', async () => {
    const raw = await t.app.get<Connection>(getConnectionToken()).collection('trainees').find().toArray();
    expect(raw.length).toBeGreaterThanOrEqual(3);
    const text = JSON.stringify(raw);
    for (const secret of [validId('23070219880808202'), '13912345678', DEMO_TRAINEE_ID_NUMBER, '230702198808', '19880808202']) {
      expect(text).not.toContain(secret);
    }
    for (const doc of raw) {
      expect(doc.idNumberEnc).toMatch(/^v1:[A-Za-z0-9_-]+:/);
      expect(doc).not.toHaveProperty('idNumber');
      expect(doc).not.toHaveProperty('phone');
    }
  });

  it('masks ID numbers and phones in lists, finds people by exact ID number', async () => {
    const list = await call(base, 'GET', '/api/v1/trainees?limit=200', { token: tokens['yc-institution'] });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(list.body.items.length);
    for (const item of list.body.items) {
      expect(item.masked).toBe(true);
      expect(item.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      if (item.phone) expect(item.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    const found = await call(base, 'GET', `/api/v1/trainees?idNumber=${validId('23070219880808202')}`, { token: tokens['yc-institution'] });
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0].idNumber).toBe('2307**********' + validId('23070219880808202').slice(-4));
  });

  it('shows the full number in a detail to the institution and the person, a mask to auditors', async () => {
    const ownId = (await call(base, 'GET', '/api/v1/trainees?name=演示学员', { token: tokens['yc-institution'] })).body.items[0].id;
    const asInstitution = await call(base, 'GET', `/api/v1/trainees/${ownId}`, { token: tokens['yc-institution'] });
    expect(asInstitution.body.idNumber).toBe(DEMO_TRAINEE_ID_NUMBER);
    const asSelf = await call(base, 'GET', `/api/v1/trainees/${ownId}`, { token: tokens.trainee });
    expect(asSelf.body).toMatchObject({ idNumber: DEMO_TRAINEE_ID_NUMBER, name: '演示学员', masked: false });
    const asAuditor = await call(base, 'GET', `/api/v1/trainees/${ownId}`, { token: tokens['yc-hrss'] });
    expect(asAuditor.body).toMatchObject({ masked: true, idNumber: '2307**********' + DEMO_TRAINEE_ID_NUMBER.slice(-4) });
    expect(asAuditor.body.phone).toBe('138****0000');
  });

  it('answers 404 for an unknown or malformed trainee id', async () => {
    expect((await call(base, 'GET', '/api/v1/trainees/65a000000000000000000001', { token: tokens.admin })).body.code).toBe('TRAINEE_NOT_FOUND');
    expect((await call(base, 'GET', '/api/v1/trainees/not-an-id', { token: tokens.admin })).status).toBe(404);
  });

  it('records the separate face consent of the person, with history and withdrawal', async () => {
    const ownId = (await call(base, 'GET', '/api/v1/trainees', { token: tokens.trainee })).body.items[0].id;
    const text = await call(base, 'GET', '/api/v1/consents/face-text', { token: tokens.trainee });
    expect(text.body.version).toBe('face-2025-01');
    expect(text.body.text).toContain('撤回');
    const url = `/api/v1/trainees/${ownId}/face-consent`;

    expect((await call(base, 'GET', url, { token: tokens.trainee })).body).toMatchObject({ active: false, history: [] });
    const outdated = await call(base, 'POST', url, { token: tokens.trainee, body: { textVersion: 'face-2020-01' } });
    expect(outdated).toMatchObject({ status: 409, body: { code: 'CONSENT_TEXT_OUTDATED' } });
    const byStaff = await call(base, 'POST', url, { token: tokens['yc-institution'], body: { textVersion: 'face-2025-01' } });
    expect(byStaff.status).toBe(403);

    const granted = await call(base, 'POST', url, { token: tokens.trainee, body: { textVersion: 'face-2025-01' } });
    expect(granted.status).toBe(200);
    expect(granted.body.active).toBe(true);
    expect(granted.body.current.textVersion).toBe('face-2025-01');
    const again = await call(base, 'POST', url, { token: tokens.trainee, body: { textVersion: 'face-2025-01' } });
    expect(again.body.history).toHaveLength(1);

    const seenByAuditor = await call(base, 'GET', url, { token: tokens['yc-hrss'] });
    expect(seenByAuditor.body).toMatchObject({ active: true });

    const withdrawn = await call(base, 'POST', `${url}/withdraw`, { token: tokens.trainee });
    expect(withdrawn.body.active).toBe(false);
    expect(withdrawn.body.history).toHaveLength(1);
    expect(withdrawn.body.history[0].withdrawnAt).toEqual(expect.any(String));
    expect((await call(base, 'POST', url, { token: tokens.trainee, body: { textVersion: 'face-2025-01' } })).body.history).toHaveLength(2);
  });

  it('lets the institution record a signed paper consent form with its scan, and a withdrawal, for a trainee without an account', async () => {
    const created = await register(person(validId('23070219940404601'), { name: '纸质同意' }));
    const url = `/api/v1/trainees/${created.body.id}/face-consent`;
    const pdf = Buffer.from('%PDF-1.4\n% signed paper consent form\n%%EOF\n');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const paper = async (fields: Record<string, string>, scan?: Buffer, who = 'yc-institution') => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      if (scan) form.set('scan', new Blob([new Uint8Array(scan)]), 'consent.pdf');
      const res = await fetch(`${base}${url}/paper`, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}` }, body: form });
      return { status: res.status, body: await res.json() };
    };
    const good = { textVersion: 'face-2025-01', signedOn: today };

    expect(await paper(good)).toMatchObject({ status: 400, body: { code: 'CONSENT_SCAN_INVALID' } });
    expect(await paper(good, Buffer.from('not a scan'))).toMatchObject({ status: 400, body: { code: 'CONSENT_SCAN_INVALID' } });
    const future = await paper({ ...good, signedOn: '2999-01-01' }, pdf);
    expect(future).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(future.body.details.fields[0]).toMatchObject({ field: 'signedOn', reasons: ['签署日期不能晚于今天'] });
    expect((await paper({ ...good, signedOn: '2026-02-30' }, pdf)).body.details.fields[0].field).toBe('signedOn');
    expect((await paper({ ...good, textVersion: 'face-2020-01' }, pdf)).body.code).toBe('CONSENT_TEXT_OUTDATED');
    expect((await paper(good, pdf, 'yc-hrss')).status).toBe(403);
    expect((await call(base, 'GET', url, { token: tokens.admin })).body).toMatchObject({ active: false, history: [] });

    const recorded = await paper(good, pdf);
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ active: true, current: { channel: 'paper', signedOn: today, hasScan: true, textVersion: 'face-2025-01' } });
    expect((await paper(good, pdf)).body.code).toBe('CONSENT_ALREADY_ACTIVE');

    const consentId = recorded.body.current.id;
    const scan = await fetch(`${base}${url}/${consentId}/scan`, { headers: { authorization: `Bearer ${tokens['yc-hrss']}` } });
    expect(scan.status).toBe(200);
    expect(scan.headers.get('content-type')).toBe('application/pdf');
    expect(scan.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await scan.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await call(base, 'GET', `${url}/65a000000000000000000001/scan`, { token: tokens['yc-institution'] })).body.code).toBe('CONSENT_SCAN_NOT_FOUND');

    const noReason = await call(base, 'POST', `${url}/paper-withdrawal`, { token: tokens['yc-institution'], body: { reason: '  ' } });
    expect(noReason.status).toBe(400);
    const withdrawn = await call(base, 'POST', `${url}/paper-withdrawal`, { token: tokens['yc-institution'], body: { reason: '学员书面申请撤回' } });
    expect(withdrawn.body).toMatchObject({ active: false, history: [{ channel: 'paper', withdrawnChannel: 'paper', withdrawReason: '学员书面申请撤回' }] });
    const twice = await call(base, 'POST', `${url}/paper-withdrawal`, { token: tokens['yc-institution'], body: { reason: '再次撤回' } });
    expect(twice).toMatchObject({ status: 409, body: { code: 'CONSENT_NOT_ACTIVE' } });
  });

  it('opens a login for a trainee that sees only its own record and must change the password', async () => {
    const created = await register(person(validId('23070219930303501'), { name: '赵六' }));
    const url = `/api/v1/trainees/${created.body.id}/account`;
    expect((await call(base, 'POST', url, { token: tokens['yc-hrss'], body: { username: 'zhaoliu' } })).status).toBe(403);
    const account = await call(base, 'POST', url, { token: tokens['yc-institution'], body: { username: 'zhaoliu' } });
    expect(account.status).toBe(201);
    expect(account.body.user).toMatchObject({ username: 'zhaoliu', role: 'trainee', displayName: '赵六', mustChangePassword: true });
    expect((await call(base, 'POST', url, { token: tokens['yc-institution'], body: { username: 'zhaoliu2' } })).body.code).toBe(
      'TRAINEE_ACCOUNT_EXISTS',
    );
    const taken = await register(person(validId('23070219930303521'), { name: '钱七' }));
    expect(
      (await call(base, 'POST', `/api/v1/trainees/${taken.body.id}/account`, { token: tokens['yc-institution'], body: { username: 'zhaoliu' } })).body
        .code,
    ).toBe('USERNAME_TAKEN');

    const session = await activate(base, 'zhaoliu', account.body.initialPassword);
    const mine = await call(base, 'GET', '/api/v1/trainees', { token: session.accessToken });
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
    const me = await call(base, 'GET', '/api/v1/auth/me', { token: session.accessToken });
    expect(me.body.organisation.id).toBe(enterpriseId);
  });

  it('shows the institution whether a trainee has a login, and resets its password (the old one and its sessions stop working)', async () => {
    const created = await register(person(validId('23070219930303541'), { name: '孙八' }));
    const url = `/api/v1/trainees/${created.body.id}/account`;
    const institution = { token: tokens['yc-institution'] };
    expect((await call(base, 'GET', url, institution)).body).toEqual({ exists: false });
    expect((await call(base, 'POST', `${url}/reset-password`, institution)).body.code).toBe('TRAINEE_ACCOUNT_MISSING');

    const opened = await call(base, 'POST', url, { ...institution, body: { username: 'sunba' } });
    const shown = await call(base, 'GET', url, institution);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ exists: true, user: { id: opened.body.user.id, username: 'sunba', mustChangePassword: true, disabled: false } });
    const session = await activate(base, 'sunba', opened.body.initialPassword);
    expect((await call(base, 'GET', url, institution)).body.user.mustChangePassword).toBe(false);
    expect((await call(base, 'GET', url, { token: session.accessToken })).status).toBe(403);
    expect((await call(base, 'POST', `${url}/reset-password`, { token: tokens['yc-hrss'] })).status).toBe(403);

    const reset = await call(base, 'POST', `${url}/reset-password`, institution);
    expect(reset.status).toBe(200);
    expect(reset.body.initialPassword).toEqual(expect.any(String));
    expect(reset.body.initialPassword).not.toBe(opened.body.initialPassword);
    expect(reset.body.user).toMatchObject({ username: 'sunba', mustChangePassword: true });
    expect((await call(base, 'GET', '/api/v1/auth/me', { token: session.accessToken })).status).toBe(401);
    expect((await login(base, 'sunba', opened.body.initialPassword)).status).toBe(401);
    expect((await login(base, 'sunba', reset.body.initialPassword)).body.mustChangePassword).toBe(true);
  });

  it('upserts idempotently by ID number for roster imports', async () => {
    const repo = t.app.get(TraineeRepository);
    const scope = scopes.institution(institutionId, '230700');
    const row = {
      programId,
      name: '王五',
      idNumber: validId('23070219700707501'),
      phone: '13700000001',
      birthDate: '1970-07-07',
      sex: 'male' as const,
      enterpriseId,
      enterpriseRegionCode: '230700',
      institutionId,
      category: 'deputy_head',
      status: 'active' as const,
      demo: false,
    };
    expect((await repo.upsertByIdNumber(scope, row)).outcome).toBe('created');
    expect((await repo.upsertByIdNumber(scope, row)).outcome).toBe('unchanged');
    const moved = await repo.upsertByIdNumber(scope, { ...row, post: '矿长', phone: undefined });
    expect(moved.outcome).toBe('updated');
    expect(moved.trainee).toMatchObject({ post: '矿长', phone: undefined, name: '王五' });
    expect((await repo.upsertByIdNumber(scope, { ...row, post: '矿长', phone: undefined })).outcome).toBe('unchanged');
    // Another institution can neither overwrite nor read the record.
    const otherId = '65a000000000000000000009';
    const other = scopes.institution(otherId, '230700');
    await expect(repo.upsertByIdNumber(other, { ...row, institutionId: otherId })).rejects.toMatchObject({ code: 'TRAINEE_DUPLICATE' });
    await expect(repo.upsertByIdNumber(other, row)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await repo.findById(other, moved.trainee.id)).toBeUndefined();
  });

  it('rotates the encryption key: old records are rewritten, still readable with the new keyring only', async () => {
    const options = t.app.get<IdentityOptions>(IdentityOptionsToken);
    const rotated: IdentityOptions = {
      ...options,
      pii: { ...options.pii, currentKeyId: 'k2', keys: { ...options.pii.keys, k2: randomBytes(32) } },
    };
    const model = t.app.get<ConstructorParameters<typeof TraineeRepository>[0]>(getModelToken('TraineeDoc'));
    const before = new TraineeRepository(model, new FieldCipher(options));
    const after = new TraineeRepository(model, new FieldCipher(rotated));
    const all = systemScope('密钥轮换测试：重写全部学员档案');
    const expected = (await before.list(all, {}, { offset: 0, limit: 1000 })).items;

    expect(await after.reencryptBatch(all, 2)).toBe(2);
    let total = 2;
    for (let n = await after.reencryptBatch(all, 2); n > 0; n = await after.reencryptBatch(all, 2)) total += n;
    expect(total).toBe(expected.length);
    expect(await after.reencryptBatch(all)).toBe(0);

    const raw = await t.app.get<Connection>(getConnectionToken()).collection('trainees').find().toArray();
    for (const doc of raw) {
      expect(doc.idNumberEnc.startsWith('v1:k2:')).toBe(true);
      if (doc.phoneEnc) expect(doc.phoneEnc.startsWith('v1:k2:')).toBe(true);
    }
    expect((await after.list(all, {}, { offset: 0, limit: 1000 })).items).toEqual(expected);
    // The blind index does not depend on the encryption key: lookups keep working.
    expect((await after.list(all, { idNumber: DEMO_TRAINEE_ID_NUMBER }, { offset: 0, limit: 10 })).items).toHaveLength(1);
    await expect(before.list(all, {}, { offset: 0, limit: 1 })).rejects.toBeInstanceOf(FieldCryptoError);
  });
});
