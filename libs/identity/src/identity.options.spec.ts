import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@app/platform';
import { overridesFromConfig, resolveIdentityOptions } from './identity.options';

describe('identity options from the data directory', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-opts-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates random secrets once, private to the owner, and keeps them across starts', () => {
    const a = resolveIdentityOptions(dir);
    const file = path.join(dir, 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const b = resolveIdentityOptions(dir);
    expect(b.accessToken.secret).toBe(a.accessToken.secret);
    expect(b.pii.keys.k1.equals(a.pii.keys.k1)).toBe(true);
    expect(b.pii.blindIndexKey.equals(a.pii.blindIndexKey)).toBe(true);
    expect(a.pii.keys.k1).toHaveLength(32);
    expect(a.accessToken.secret.length).toBeGreaterThanOrEqual(32);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-opts-'));
    try {
      expect(resolveIdentityOptions(other).accessToken.secret).not.toBe(a.accessToken.secret);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('has the documented defaults and takes overrides', () => {
    const o = resolveIdentityOptions(dir, { accessToken: { ttlSeconds: 60 }, lockout: { maxFailures: 3 }, seed: { mustChangePassword: false } });
    expect(o.accessToken.ttlSeconds).toBe(60);
    expect(o.lockout).toEqual({ maxFailures: 3, windowMs: 900_000, lockMs: 900_000 });
    expect(o.refreshToken).toEqual({ ttlSeconds: 7 * 86_400, sessionSeconds: 30 * 86_400 });
    expect(o.seed).toEqual({ mustChangePassword: false, loginsFile: path.join(dir, 'demo-logins.txt') });
  });

  it('refuses a corrupt secrets file and a short secret', () => {
    fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ jwtSecret: 'short' }));
    expect(() => resolveIdentityOptions(dir)).toThrow(/secrets/);
    fs.rmSync(path.join(dir, 'secrets.json'));
    expect(() => resolveIdentityOptions(dir, { accessToken: { secret: 'too-short' } })).toThrow(/32/);
  });

  it('takes a deployment\'s settings from the validated configuration', () => {
    const k2 = Buffer.alloc(32, 7).toString('base64');
    const blind = Buffer.alloc(32, 9).toString('base64');
    const config = loadConfig({
      AUTH_JWT_SECRET: 'x'.repeat(40),
      AUTH_ACCESS_TTL_S: '120',
      AUTH_LOCKOUT_MAX: '3',
      PII_KEYS: `k2:${k2}`,
      PII_CURRENT_KEY_ID: 'k2',
      PII_BLIND_INDEX_KEY: blind,
      SEED_DEMO_MUST_CHANGE_PASSWORD: 'false',
    });
    const o = resolveIdentityOptions(dir, overridesFromConfig(config.identity));
    expect(o.accessToken).toMatchObject({ secret: 'x'.repeat(40), ttlSeconds: 120 });
    expect(o.lockout.maxFailures).toBe(3);
    expect(o.pii.currentKeyId).toBe('k2');
    expect(o.pii.keys.k2.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(o.pii.blindIndexKey.equals(Buffer.alloc(32, 9))).toBe(true);
    expect(o.seed.mustChangePassword).toBe(false);
  });

  it('keeps the secrets-file defaults for what the configuration leaves unset', () => {
    const fromFile = resolveIdentityOptions(dir);
    const o = resolveIdentityOptions(dir, overridesFromConfig(loadConfig({}).identity));
    expect(o.accessToken.secret).toBe(fromFile.accessToken.secret);
    expect(o.pii.keys.k1.equals(fromFile.pii.keys.k1)).toBe(true);
    expect(o.accessToken.ttlSeconds).toBe(900);
  });

  it('refuses a PII key list without the current key id', () => {
    expect(() => loadConfig({ PII_KEYS: `k2:${Buffer.alloc(32).toString('base64')}` })).toThrow(/PII_CURRENT_KEY_ID/);
    expect(() => loadConfig({ PII_KEYS: 'k2:short' })).toThrow(/PII_KEYS/);
  });
});
