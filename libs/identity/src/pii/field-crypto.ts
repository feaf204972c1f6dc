import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Personal data at rest (PIPL): AES-256-GCM per field, with the key id stored beside the
 * ciphertext so keys can rotate, and a keyed HMAC "blind index" for exact-match lookups
 * (find a trainee by ID number) without storing anything reversible.
 *
 * Stored form: `v1:<keyId>:<iv>:<ciphertext>:<tag>` (base64url parts), one string per field.
 * The field's purpose (e.g. "trainee.idNumber") is authenticated data, so a ciphertext copied
 * into another field or document type does not decrypt.
 */
export interface Keyring {
  readonly currentKeyId: string;
  readonly keys: Readonly<Record<string, Buffer>>;
}

export class FieldCryptoError extends Error {
  constructor(readonly reason: 'format' | 'unknown-key' | 'authentication') {
    super(`encrypted field cannot be read (${reason})`);
    this.name = 'FieldCryptoError';
  }
}

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function keyFor(keyring: Keyring, keyId: string): Buffer {
  const key = keyring.keys[keyId];
  if (!key) throw new FieldCryptoError('unknown-key');
  if (key.length !== 32) throw new RangeError(`key ${keyId} must be 32 bytes for AES-256`);
  return key;
}

export function encryptField(plaintext: string, purpose: string, keyring: Keyring, iv: Buffer = randomBytes(12)): string {
  if (!KEY_ID.test(keyring.currentKeyId)) throw new RangeError('key id must be 1–32 of [A-Za-z0-9_-]');
  const cipher = createCipheriv('aes-256-gcm', keyFor(keyring, keyring.currentKeyId), iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, keyring.currentKeyId, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
}

function split(stored: string): { keyId: string; iv: Buffer; ct: Buffer; tag: Buffer } {
  const parts = stored.split(':');
  if (parts.length !== 5 || parts[0] !== VERSION || !KEY_ID.test(parts[1])) throw new FieldCryptoError('format');
  const [, keyId, iv, ct, tag] = parts;
  const b64 = /^[A-Za-z0-9_-]*$/;
  if (![iv, ct, tag].every((p) => b64.test(p))) throw new FieldCryptoError('format');
  const out = { keyId, iv: Buffer.from(iv, 'base64url'), ct: Buffer.from(ct, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  if (out.iv.length !== 12 || out.tag.length !== 16) throw new FieldCryptoError('format');
  return out;
}

export function decryptField(stored: string, purpose: string, keyring: Keyring): string {
  const { keyId, iv, ct, tag } = split(stored);
  const decipher = createDecipheriv('aes-256-gcm', keyFor(keyring, keyId), iv);
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    throw new FieldCryptoError('authentication');
  }
}

/** The key id a stored value was written with (to find values a rotation still has to rewrite). */
export function keyIdOf(stored: string): string {
  return split(stored).keyId;
}

/**
 * Deterministic keyed digest for equality lookups. The purpose separates indexes, so the same ID
 * number gives unrelated digests in different fields; callers normalise the value first.
 */
export function blindIndex(value: string, purpose: string, key: Buffer): string {
  if (key.length < 32) throw new RangeError('blind index key must be at least 32 bytes');
  return createHmac('sha256', key).update(purpose, 'utf8').update('\0').update(value, 'utf8').digest('base64url');
}
