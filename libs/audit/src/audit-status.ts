import { Clock } from '@app/platform';
import type { Connection, mongo } from 'mongoose';
import { VerifyReport } from './verify';

interface StatusDoc {
  _id: 'last-verify';
  checkedAt: Date;
  report: VerifyReport;
}

export interface AuditChainStatus {
  readonly chain: 'intact' | 'broken' | 'unverified';
  readonly checkedAt?: string;
  readonly records?: number;
  readonly checkpoint?: number;
  readonly problems?: number;
}

export const chainState = (report: VerifyReport): AuditChainStatus['chain'] => (report.intact ? 'intact' : 'broken');

/** The last verification, shared by every process (the job may run in the worker, /health is asked of the API). */
export class AuditStatus {
  private readonly docs: mongo.Collection<StatusDoc>;

  constructor(
    connection: Connection,
    private readonly clock: Clock,
  ) {
    this.docs = connection.collection('audit_status');
  }

  async save(report: VerifyReport): Promise<void> {
    await this.docs.replaceOne({ _id: 'last-verify' }, { checkedAt: new Date(this.clock.now()), report }, { upsert: true });
  }

  async last(): Promise<{ checkedAt: Date; report: VerifyReport } | undefined> {
    const doc = await this.docs.findOne({ _id: 'last-verify' });
    return doc ? { checkedAt: doc.checkedAt, report: doc.report } : undefined;
  }

  async summary(): Promise<AuditChainStatus> {
    const last = await this.last();
    if (!last) return { chain: 'unverified' };
    const r = last.report;
    return { chain: chainState(r), checkedAt: last.checkedAt.toISOString(), records: r.records, checkpoint: r.checkpoint?.number, problems: r.problems.length };
  }
}
