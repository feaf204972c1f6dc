import { randomBytes } from 'node:crypto';
import { blindIndex, decryptField, encryptField, FieldCryptoError, keyIdOf, Keyring } from './field-crypto';
import { maskIdNumber, maskName, maskPhone } from './mask';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring: Keyring = { currentKeyId: 'k1', keys: { k1 } };
const rotated: Keyring = { currentKeyId: 'k2', keys: { k1, k2 } };
const ID = '11010519491231002X';
const P = 'trainee.idNumber';

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof FieldCryptoError ? e.reason : `other: ${String(e)}`;
  }
}

describe('field encryption (AES-256-GCM)', () => {
  it('round-trips, including non-ASCII text', () => {
    expect(decryptField(encryptField(ID, P, ring), P, ring)).toBe(ID);
    expect(decryptField(encryptField('欧阳娜娜', 'trainee.name', ring), 'trainee.name', ring)).toBe('欧阳娜娜');
    expect(decryptField(encryptField('', P, ring), P, ring)).toBe('');
  });

  it('never contains the plaintext and differs on every write', () => {
    const a = encryptField(ID, P, ring);
    const b = encryptField(ID, P, ring);
    expect(a).not.toBe(b);
    expect(a).not.toContain(ID);
    expect(a).not.toContain(Buffer.from(ID).toString('base64url'));
    expect(a.startsWith('v1:k1:')).toBe(true);
  });

  it('reads old values after a key rotation and writes new ones with the new key', () => {
    const old = encryptField(ID, P, ring);
    expect(decryptField(old, P, rotated)).toBe(ID);
    expect(keyIdOf(old)).toBe('k1');
    expect(keyIdOf(encryptField(ID, P, rotated))).toBe('k2');
  });

  it('refuses a value whose key is gone', () => {
    const v = encryptField(ID, P, rotated);
    expect(reason(() => decryptField(v, P, ring))).toBe('unknown-key');
  });

  it('refuses a value moved to another field (purpose is authenticated)', () => {
    expect(reason(() => decryptField(encryptField(ID, P, ring), 'trainee.phone', ring))).toBe('authentication');
  });

  it('detects any tampering with the ciphertext, iv or tag', () => {
    const v = encryptField(ID, P, ring);
    const parts = v.split(':');
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i], 'base64url');
      bytes[0] ^= 1;
      const tampered = [...parts];
      tampered[i] = bytes.toString('base64url');
      expect(reason(() => decryptField(tampered.join(':'), P, ring))).toBe('authentication');
    }
    expect(reason(() => decryptField(v.replace('v1:k1', 'v1:k3'), P, { currentKeyId: 'k3', keys: { k3: k1 } }))).toBe('no error');
    expect(reason(() => decryptField(v, P, { currentKeyId: 'k1', keys: { k1: k2 } }))).toBe('authentication');
  });

  it.each(['', 'plain', 'v2:k1:a:b:c', 'v1:k1:a:b', 'v1:k 1:a:b:c', 'v1:k1:!!:b:c', 'v1:k1:AAAA:b:AAAAAAAAAAAAAAAAAAAAAA'])(
    'refuses the malformed value %p',
    (v) => {
      expect(reason(() => decryptField(v, P, ring))).toBe('format');
    },
  );

  it('refuses bad keys and key ids when writing', () => {
    expect(() => encryptField(ID, P, { currentKeyId: 'k1', keys: { k1: Buffer.alloc(16) } })).toThrow(RangeError);
    expect(() => encryptField(ID, P, { currentKeyId: 'a:b', keys: { 'a:b': k1 } })).toThrow(RangeError);
    expect(reason(() => encryptField(ID, P, { currentKeyId: 'k9', keys: { k1 } }))).toBe('unknown-key');
  });

  it('is deterministic for a fixed iv (the format is stable)', () => {
    const iv = Buffer.alloc(12, 1);
    expect(encryptField(ID, P, ring, iv)).toBe(encryptField(ID, P, ring, iv));
  });
});

describe('blind index (HMAC-SHA256)', () => {
  const key = randomBytes(32);
  it('is stable for one value and purpose, different across values, purposes and keys', () => {
    expect(blindIndex(ID, P, key)).toBe(blindIndex(ID, P, key));
    expect(blindIndex(ID, P, key)).not.toBe(blindIndex('110105194912310021', P, key));
    expect(blindIndex(ID, P, key)).not.toBe(blindIndex(ID, 'trainee.phone', key));
    expect(blindIndex(ID, P, key)).not.toBe(blindIndex(ID, P, randomBytes(32)));
    expect(blindIndex(ID, P, key)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('separates purpose and value unambiguously', () => {
    expect(blindIndex('b', 'a', key)).not.toBe(blindIndex('', 'a\0b', key));
  });

  it('refuses short keys', () => {
    expect(() => blindIndex(ID, P, Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('masking', () => {
  it.each([
    ['230102199001011234', '2301**********1234'],
    ['11010519491231002X', '1101**********002X'],
    ['12345678', '********'],
    ['', ''],
  ])('ID %p → %p', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });

  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86*******5678'],
    ['1234567', '*******'],
  ])('phone %p → %p', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['王', '王'],
    [' 李四 ', '李*'],
  ])('name %p → %p', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
