import type { Connection, mongo } from 'mongoose';
import { AUDIT_LOG, recordFromDoc } from './audit-trail';
import type { AuditRecord } from './record';

/**
 * Whose records a reader may see: everything (administrators), or the records of one
 * jurisdiction — those whose tenant region lies under the prefix. Platform-wide records (no
 * region: the catalog, the audit trail's own checkpoints) are for administrators only. Made from a
 * caller by `auditReadScopeOf(user)` in @app/identity.
 */
export type AuditReadScope = { readonly kind: 'everything' } | { readonly kind: 'region'; readonly regionPrefix: string };

export interface AuditSearch {
  readonly actorId?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  /** An action code, or a family of them ending in `.*` (`trainee.*`). */
  readonly action?: string;
  readonly institutionId?: string;
  /** A 1–6 digit division prefix, within the reader's jurisdiction. */
  readonly regionCode?: string;
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
}

export interface AuditPage {
  readonly items: AuditRecord[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

/** The most records one xlsx export holds; a narrower search gets the rest. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const digits = (text: string) => {
  if (!/^\d{1,6}$/.test(text)) throw new RangeError('region prefix must be 1–6 digits');
  return text;
};

/**
 * The query a search becomes, always inside the reader's scope: a region the reader asks for
 * that lies outside the jurisdiction narrows to nothing rather than widening to it.
 */
export function auditFilter(scope: AuditReadScope, q: AuditSearch): mongo.Filter<mongo.Document> {
  const and: mongo.Filter<mongo.Document>[] = [];
  if (scope.kind === 'region') and.push({ 'tenant.regionCode': { $regex: `^${digits(scope.regionPrefix)}` } });
  if (q.regionCode !== undefined) and.push({ 'tenant.regionCode': { $regex: `^${digits(q.regionCode)}` } });
  if (q.actorId) and.push({ 'actor.id': q.actorId });
  if (q.targetType) and.push({ 'target.type': q.targetType });
  if (q.targetId) and.push({ 'target.id': q.targetId });
  if (q.institutionId) and.push({ 'tenant.institutionId': q.institutionId });
  if (q.action) and.push(q.action.endsWith('.*') ? { action: { $regex: `^${escape(q.action.slice(0, -1))}` } } : { action: q.action });
  if (q.from || q.to) and.push({ at: { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) } });
  return and.length === 0 ? {} : and.length === 1 ? and[0] : { $and: and };
}

/** Searching and exporting the log: newest first, always through {@link auditFilter}. */
export class AuditQuery {
  private readonly log: mongo.Collection;

  constructor(connection: Connection) {
    this.log = connection.collection(AUDIT_LOG);
  }

  async search(scope: AuditReadScope, q: AuditSearch, offset: number, limit: number): Promise<AuditPage> {
    const filter = auditFilter(scope, q);
    const [docs, total] = await Promise.all([
      this.log.find(filter).sort({ at: -1, _id: -1 }).skip(offset).limit(limit).toArray(),
      this.log.countDocuments(filter),
    ]);
    return { items: docs.map(recordFromDoc), total, offset, limit };
  }

  /** The matching records, newest first, at most `limit`. */
  async *rows(scope: AuditReadScope, q: AuditSearch, limit = AUDIT_EXPORT_MAX_ROWS): AsyncIterable<AuditRecord> {
    const cursor = this.log.find(auditFilter(scope, q)).sort({ at: -1, _id: -1 }).limit(limit).batchSize(2000);
    try {
      for await (const doc of cursor) yield recordFromDoc(doc);
    } finally {
      await cursor.close();
    }
  }
}
