import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { developmentSecretFile, IdentityConfig } from '@app/platform';
import { DEFAULT_LOCKOUT, LockoutPolicy } from './auth/lockout';

/**
 * Everything the identity context needs from configuration. The defaults come from
 * `<dataDir>/secrets.json` (created once with random keys, mode 0600) so a restart keeps tokens
 * and encrypted fields readable; a deployment sets them through AppConfig (AUTH_*, PII_* variables).
 */
export interface IdentityOptions {
  readonly accessToken: { readonly secret: string; readonly ttlSeconds: number; readonly issuer: string };
  /** ttlSeconds: one refresh token; sessionSeconds: a login, however often it is refreshed. */
  readonly refreshToken: { readonly ttlSeconds: number; readonly sessionSeconds: number };
  /**
   * A socket rechecks its account and login session at most this often (0: on every event). Logout,
   * password change and disabling reach this process's sockets at once; other processes' within it.
   */
  readonly socket: { readonly recheckSeconds: number };
  readonly lockout: LockoutPolicy;
  readonly pii: {
    /** Key id written beside every ciphertext; new writes use it, reads use whichever id a field names. */
    readonly currentKeyId: string;
    readonly keys: Readonly<Record<string, Buffer>>;
    readonly blindIndexKey: Buffer;
  };
  readonly seed: {
    /** Seeded demo accounts must change their initial password at first login. */
    readonly mustChangePassword: boolean;
    readonly loginsFile: string;
  };
}

/** DI token for {@link IdentityOptions}. */
export abstract class IdentityOptionsToken {}

export type IdentityOverrides = {
  readonly [K in keyof IdentityOptions]?: Partial<IdentityOptions[K]>;
};

interface SecretsFile {
  jwtSecret: string;
  piiKeys: Record<string, string>;
  piiCurrentKeyId: string;
  blindIndexKey: string;
}

function freshSecrets(): SecretsFile {
  return {
    jwtSecret: randomBytes(48).toString('base64url'),
    piiKeys: { k1: randomBytes(32).toString('base64') },
    piiCurrentKeyId: 'k1',
    blindIndexKey: randomBytes(32).toString('base64'),
  };
}

/**
 * Reads the development secrets, creating them on first start. `wx` makes the creation atomic,
 * so two processes starting together share one set of keys.
 */
export function loadOrCreateSecrets(dataDir: string): SecretsFile {
  const file = path.join(dataDir, 'secrets.json');
  const parsed = JSON.parse(developmentSecretFile(dataDir, 'secrets.json', () => JSON.stringify(freshSecrets(), null, 2) + '\n')) as Partial<SecretsFile>;
  if (
    typeof parsed.jwtSecret !== 'string' ||
    parsed.jwtSecret.length < 32 ||
    typeof parsed.piiCurrentKeyId !== 'string' ||
    !parsed.piiKeys?.[parsed.piiCurrentKeyId] ||
    typeof parsed.blindIndexKey !== 'string'
  ) {
    throw new Error(`密钥文件损坏 (corrupt secrets file): ${file}`);
  }
  return parsed as SecretsFile;
}

function key32(base64: string, what: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${what} must be 32 bytes`);
  return key;
}

/** A deployment's settings from the validated configuration; unset secrets keep the secrets-file defaults. */
export function overridesFromConfig(c: IdentityConfig): IdentityOverrides {
  const pii: { -readonly [K in keyof IdentityOptions['pii']]?: IdentityOptions['pii'][K] } = {};
  if (c.piiKeys) pii.keys = Object.fromEntries(Object.entries(c.piiKeys).map(([id, k]) => [id, key32(k, `PII key ${id}`)]));
  if (c.piiCurrentKeyId) pii.currentKeyId = c.piiCurrentKeyId;
  if (c.piiBlindIndexKey) pii.blindIndexKey = key32(c.piiBlindIndexKey, 'blind index key');
  return {
    accessToken: { ttlSeconds: c.accessTtlSeconds, ...(c.jwtSecret ? { secret: c.jwtSecret } : {}) },
    refreshToken: { ttlSeconds: c.refreshTtlSeconds, sessionSeconds: c.sessionTtlSeconds },
    socket: { recheckSeconds: c.socketRecheckSeconds },
    lockout: c.lockout,
    pii,
    seed: { mustChangePassword: c.demoMustChangePassword },
  };
}

export function resolveIdentityOptions(dataDir: string, overrides: IdentityOverrides = {}): IdentityOptions {
  const secrets = loadOrCreateSecrets(dataDir);
  const keys = Object.fromEntries(Object.entries(secrets.piiKeys).map(([id, k]) => [id, key32(k, `PII key ${id}`)]));
  const options: IdentityOptions = {
    accessToken: { secret: secrets.jwtSecret, ttlSeconds: 15 * 60, issuer: 'gsyf', ...overrides.accessToken },
    refreshToken: { ttlSeconds: 7 * 86_400, sessionSeconds: 30 * 86_400, ...overrides.refreshToken },
    socket: { recheckSeconds: 60, ...overrides.socket },
    lockout: { ...DEFAULT_LOCKOUT, ...overrides.lockout },
    pii: {
      currentKeyId: secrets.piiCurrentKeyId,
      keys,
      blindIndexKey: key32(secrets.blindIndexKey, 'blind index key'),
      ...overrides.pii,
    },
    seed: { mustChangePassword: true, loginsFile: path.join(dataDir, 'demo-logins.txt'), ...overrides.seed },
  };
  if (options.accessToken.secret.length < 32) throw new Error('access token secret must have at least 32 characters');
  if (!options.pii.keys[options.pii.currentKeyId]) throw new Error(`PII key ${options.pii.currentKeyId} is not configured`);
  return options;
}
