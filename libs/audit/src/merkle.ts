import { createHash } from 'node:crypto';

/**
 * RFC 6962 §2.1 Merkle Tree Hash, the tree Certificate Transparency's signed tree heads commit
 * to: leaves and inner nodes hashed with different prefixes (0x00 / 0x01) so a leaf can never be
 * passed off as a node, and the split at the largest power of two below n so the tree of a
 * prefix of the leaves is a subtree of the whole.
 */
const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const leafHash = (data: Buffer): Buffer => sha256(LEAF, data);
export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function merkleTreeHash(leaves: readonly Buffer[]): Buffer {
  const hashed = leaves.map(leafHash);
  const mth = (from: number, to: number): Buffer => {
    const n = to - from;
    if (n === 1) return hashed[from];
    const k = largestPowerOfTwoBelow(n);
    return nodeHash(mth(from, from + k), mth(from + k, to));
  };
  return leaves.length === 0 ? sha256() : mth(0, leaves.length);
}
