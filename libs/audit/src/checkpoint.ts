import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical';
import { merkleTreeHash } from './merkle';
import { ChainHead } from './record';

/** What a checkpoint commits to; `root` is the RFC 6962 tree over the partition heads in partition order. */
export interface CheckpointBody {
  readonly v: 1;
  readonly number: number;
  /** ISO-8601 server time the heads were read. */
  readonly at: string;
  readonly heads: readonly ChainHead[];
  readonly root: string;
  /** Hash of the previous checkpoint's body: deleting or replacing one breaks the next. */
  readonly previous: string;
  /** First 16 hex digits of SHA-256 over the signing key's SPKI DER. */
  readonly keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** Ed25519 over the body's canonical JSON, base64. */
  readonly signature: string;
}

/** The JSON an auditor keeps outside the platform: the checkpoint plus the key to check it with. */
export interface ExportedCheckpoint extends SignedCheckpoint {
  readonly publicKey: string;
  readonly algorithm: 'Ed25519';
}

const byPartition = (a: ChainHead, b: ChainHead): number => (a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0);

export const FIRST_PREVIOUS = createHash('sha256').update('gsyf-audit/v1/checkpoints').digest('hex');

export function headsRoot(heads: readonly ChainHead[]): string {
  const sorted = [...heads].sort(byPartition);
  return merkleTreeHash(sorted.map((h) => Buffer.from(canonicalJson({ partition: h.partition, seq: h.seq, hash: h.hash })))).toString('hex');
}

export function bodyOf(cp: CheckpointBody): CheckpointBody {
  return { v: cp.v, number: cp.number, at: cp.at, heads: cp.heads.map((h) => ({ partition: h.partition, seq: h.seq, hash: h.hash })), root: cp.root, previous: cp.previous, keyId: cp.keyId };
}

export function checkpointHash(cp: CheckpointBody): string {
  return createHash('sha256').update(canonicalJson(bodyOf(cp))).digest('hex');
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/** Accepts a PKCS#8 PEM Ed25519 private key (what `openssl genpkey -algorithm ed25519` writes). */
export function signingKeyFrom(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new RangeError(`AUDIT_SIGNING_KEY must be an Ed25519 key, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export function buildCheckpoint(number: number, at: Date, heads: readonly ChainHead[], previous: string, key: SigningKey): SignedCheckpoint {
  const sorted = [...heads].sort(byPartition).map((h) => ({ partition: h.partition, seq: h.seq, hash: h.hash }));
  const body: CheckpointBody = { v: 1, number, at: at.toISOString(), heads: sorted, root: headsRoot(sorted), previous, keyId: key.keyId };
  const signature = sign(null, Buffer.from(canonicalJson(body)), key.privateKey).toString('base64');
  return { ...body, signature };
}

/** Signature and root both: a checkpoint whose heads were edited after signing fails on the root. */
export function checkpointIsAuthentic(cp: SignedCheckpoint, publicKey: KeyObject): boolean {
  if (typeof cp.signature !== 'string' || !Array.isArray(cp.heads)) return false;
  if (headsRoot(cp.heads) !== cp.root) return false;
  try {
    return verify(null, Buffer.from(canonicalJson(bodyOf(cp))), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

export function exportCheckpoint(cp: SignedCheckpoint, key: { publicKey: KeyObject }): ExportedCheckpoint {
  return { ...bodyOf(cp), signature: cp.signature, algorithm: 'Ed25519', publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The shape of a checkpoint file an auditor brings back (the CLI's input; HTTP checks the same with its DTO). */
export function isSignedCheckpoint(value: unknown): value is SignedCheckpoint {
  const c = value as SignedCheckpoint;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.v === 1 &&
    Number.isSafeInteger(c.number) &&
    c.number >= 1 &&
    typeof c.at === 'string' &&
    Array.isArray(c.heads) &&
    c.heads.every((h) => typeof h?.partition === 'string' && Number.isSafeInteger(h.seq) && h.seq >= 0 && HEX64.test(h.hash)) &&
    HEX64.test(c.root) &&
    HEX64.test(c.previous) &&
    typeof c.keyId === 'string' &&
    typeof c.signature === 'string'
  );
}
