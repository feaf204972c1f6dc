// What the audit trail holds, read straight from the app's database: the tests' view of
// "this use case recorded itself".
import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AUDIT_LOG, AuditRecord } from '@app/audit';

export type AuditFilter = Partial<Record<'action' | 'target.type' | 'target.id' | 'actor.id' | 'tenant.institutionId' | 'tenant.regionCode' | 'requestId', unknown>>;

/** Records matching the filter, oldest first. */
export async function auditRecords(app: INestApplication, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  const conn = app.get<Connection>(getConnectionToken());
  return (await conn.collection(AUDIT_LOG).find(filter).sort({ at: 1, seq: 1 }).toArray()) as unknown as AuditRecord[];
}

export async function auditCount(app: INestApplication, filter: AuditFilter = {}): Promise<number> {
  return app.get<Connection>(getConnectionToken()).collection(AUDIT_LOG).countDocuments(filter);
}
