import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'ok' | 'invalid' | 'expired';

function mac(key: Buffer, path: string, expires: number): string {
  return createHmac('sha256', key).update(`${path}\n${expires}`).digest('base64url');
}

/** `?exp=<unix seconds>&sig=<HMAC-SHA256 of path and exp>`: the URL works until exp, and only for that path. */
export function signQuery(key: Buffer, path: string, expires: number): string {
  return `exp=${expires}&sig=${mac(key, path, expires)}`;
}

/** Tampering (other path, other exp, other signature) is "invalid"; an intact but old URL is "expired". */
export function verifySignature(key: Buffer, path: string, exp: unknown, sig: unknown, nowSeconds: number): SignatureCheck {
  if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return 'invalid';
  const expected = Buffer.from(mac(key, path, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Number(exp) < nowSeconds ? 'expired' : 'ok';
}
