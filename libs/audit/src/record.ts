import { Summary } from './summary';

/** Who made the change: a signed-in user (any role the platform has) or the platform itself. */
export type AuditActor =
  | { readonly kind: 'user'; readonly id: string; readonly role: string; readonly organisationId?: string; readonly regionCode?: string }
  | { readonly kind: 'system'; readonly reason: string };

/** Whose data it is: what an auditor's jurisdiction or an institution's scope is matched against. */
export interface AuditTenant {
  readonly institutionId?: string;
  /** 6-digit division code of the data's region. */
  readonly regionCode?: string;
}

/** What a use case says about one change it made. */
export interface AuditEntry {
  /** Stable dotted code, e.g. `trainee.create`, `consent.paper.record`, `face-reference.read`. */
  readonly action: string;
  readonly target: { readonly type: string; readonly id: string };
  readonly tenant: AuditTenant;
  readonly before?: object;
  readonly after?: object;
  /** Required by actions that need one (voids, compensations, withdrawals); kept verbatim. */
  readonly reason?: string;
  /**
   * SHA-256 (hex) of the target's canonical form as written ({@link contentHash}), for targets the
   * chain vouches for beyond the record itself (hour-ledger entries): verify compares the stored
   * target against it, so editing, deleting or inserting one in the database is found.
   */
  readonly digest?: string;
}

/** The part of a stored record its hash covers. */
/** `<writer>.<shard>`: a writing process's own chain for one bucket of tenants, e.g. `api.3`. */
export type PartitionId = string;

export interface AuditBody {
  readonly v: 1;
  readonly partition: PartitionId;
  readonly prevHash: string;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly requestId?: string;
  readonly ip?: string;
  readonly action: string;
  readonly target: { readonly type: string; readonly id: string };
  readonly tenant: AuditTenant;
  readonly before?: Summary;
  readonly after?: Summary;
  readonly reason?: string;
  readonly digest?: string;
}

/** A record as stored: the body, its place in its partition's chain and its own hash. */
export interface AuditRecord extends AuditBody {
  readonly id: string;
  readonly seq: number;
  readonly hash: string;
}

export interface ChainHead {
  readonly partition: PartitionId;
  readonly seq: number;
  readonly hash: string;
}
