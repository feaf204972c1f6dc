import { Cipher, createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** An AES-128 content key encrypted at rest (AES-256-GCM), base64 fields. */
export interface WrappedKey {
  iv: string;
  tag: string;
  data: string;
}

export interface MediaKeys {
  /** Encrypts per-lesson content keys. */
  keyEncryptionKey: Buffer;
  /** Signs playlist, segment and key URLs. */
  urlSigningKey: Buffer;
}

/** Two independent keys from one master secret (HKDF-SHA256 with distinct labels). */
export function deriveMediaKeys(secret: string): MediaKeys {
  const ikm = Buffer.from(secret, 'utf8');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, 32));
  return { keyEncryptionKey: derive('gsyf/media/hls-key-wrap/v1'), urlSigningKey: derive('gsyf/media/url-sign/v1') };
}

/** The rendition id is authenticated data: a wrapped key copied onto another rendition fails to open. */
export function wrapKey(kek: Buffer, contentKey: Buffer, renditionId: string): WrappedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(renditionId));
  const data = Buffer.concat([cipher.update(contentKey), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function unwrapKey(kek: Buffer, wrapped: WrappedKey, renditionId: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.iv, 'base64'));
  decipher.setAAD(Buffer.from(renditionId));
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(wrapped.data, 'base64')), decipher.final()]);
}

/**
 * AES-128 HLS decryption (RFC 8216 §5.2): CBC with PKCS#7 padding; the IV is the key tag's IV
 * attribute, or else the segment's media sequence number as a 128-bit big-endian integer.
 */
export function hlsIv(ivAttribute: string | undefined, mediaSequence: number): Buffer {
  if (ivAttribute) return Buffer.from(ivAttribute.replace(/^0x/i, ''), 'hex');
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(mediaSequence), 8);
  return iv;
}

export function decryptHlsSegment(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([d.update(data), d.final()]);
}

/** The streaming counterpart of {@link decryptHlsSegment}: AES-128-CBC with PKCS#7, as HLS expects. */
export function hlsSegmentCipher(key: Buffer, iv: Buffer): Cipher {
  return createCipheriv('aes-128-cbc', key, iv);
}
