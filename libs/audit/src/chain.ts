import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';
import { AuditBody, ChainHead, PartitionId } from './record';

const sha256hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Where partition p's chain starts: distinct per partition, so a record moved across partitions breaks both. */
export function genesisHash(partition: PartitionId): string {
  return sha256hex(`gsyf-audit/v1/genesis/${partition}`);
}

export const genesisHead = (partition: PartitionId): ChainHead => ({ partition, seq: 0, hash: genesisHash(partition) });

/**
 * The fields a record's hash covers, picked by name so storage-only fields (`_id`, `seq`, the
 * hash itself) never leak into it. `seq` is left out on purpose: it is the order index the log is
 * read in, while the chain of `prevHash` fixes the order itself; keeping them apart is what lets
 * verification tell a swapped pair ("reordered") from an edited record.
 */
export function hashedBody(r: AuditBody): AuditBody {
  return {
    v: r.v,
    partition: r.partition,
    prevHash: r.prevHash,
    at: r.at,
    actor: r.actor,
    requestId: r.requestId,
    ip: r.ip,
    action: r.action,
    target: r.target,
    tenant: r.tenant,
    before: r.before,
    after: r.after,
    reason: r.reason,
    digest: r.digest,
  };
}

/** SHA-256 (hex) of a value's canonical JSON: what an entry's `digest` says its target was when written. */
export function contentHash(value: unknown): string {
  return sha256hex(canonicalJson(value));
}

/** SHA-256 over the previous record's hash (inside the body) and the record's canonical encoding. */
export function recordHash(body: AuditBody): string {
  return sha256hex(canonicalJson(hashedBody(body)));
}

/**
 * Which of a writer's buckets a tenant's records chain in. Fixed buckets rather than one chain
 * per tenant: the checkpoint signs a bounded number of heads, and one busy institution holds up
 * none of the others. The hash makes the spread even and the same in every process.
 */
export function shardOf(tenantKey: string, shards: number): number {
  if (!Number.isSafeInteger(shards) || shards < 1) throw new RangeError('shards must be a positive integer');
  return createHash('sha256').update(tenantKey).digest().readUInt32BE(0) % shards;
}

/**
 * Chains belong to a writing process (API, worker, …) as well as a shard: a chain is a serial
 * resource, and two processes appending to one starve each other (each one's open transaction
 * holds the head the other needs). Processes sharing a writer id stay correct, only slower.
 */
export const WRITER_ID = /^[a-z][a-z0-9-]{0,31}$/;

export function partitionId(writer: string, shard: number): PartitionId {
  if (!WRITER_ID.test(writer)) throw new RangeError(`audit writer id must match ${WRITER_ID}: ${writer}`);
  return `${writer}.${shard}`;
}

export function tenantKeyOf(tenant: { institutionId?: string; regionCode?: string }): string {
  if (tenant.institutionId) return `institution:${tenant.institutionId}`;
  if (tenant.regionCode) return `region:${tenant.regionCode}`;
  return 'platform';
}
