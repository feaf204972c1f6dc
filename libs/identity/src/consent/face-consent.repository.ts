import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { scopeFilter } from '../auth/scope-filter';
import type { TenantScope } from '../auth/tenant-scope';
import type { Trainee } from '../trainees/trainee.entity';
import { TRAINEE_SCOPE_COLUMNS } from '../trainees/trainee-scope';
import { FaceConsentDoc, PaperConsentScan } from './face-consent.schema';

export type ConsentChannel = 'online' | 'paper';

export interface FaceConsent {
  id: string;
  traineeId: string;
  textVersion: string;
  grantedAt: Date;
  grantedBy: string;
  channel: ConsentChannel;
  signedOn?: string;
  scan?: PaperConsentScan;
  withdrawnAt?: Date;
  withdrawnBy?: string;
  withdrawnChannel?: ConsentChannel;
  withdrawReason?: string;
}

export interface GrantRecord {
  textVersion: string;
  by: string;
  at: Date;
  channel: ConsentChannel;
  signedOn?: string;
  scan?: PaperConsentScan;
}

export interface WithdrawRecord {
  by: string;
  at: Date;
  channel: ConsentChannel;
  reason?: string;
}

type Lean = FaceConsentDoc & { _id: Types.ObjectId };

function toConsent(d: Lean): FaceConsent {
  return {
    id: d._id.toHexString(),
    traineeId: d.traineeId.toHexString(),
    textVersion: d.textVersion,
    grantedAt: d.grantedAt,
    grantedBy: d.grantedBy.toHexString(),
    channel: d.channel ?? 'online',
    signedOn: d.signedOn,
    scan: d.scan,
    withdrawnAt: d.withdrawnAt ?? undefined,
    withdrawnBy: d.withdrawnBy?.toHexString(),
    withdrawnChannel: d.withdrawnAt ? (d.withdrawnChannel ?? 'online') : undefined,
    withdrawReason: d.withdrawReason,
  };
}

@Injectable()
export class FaceConsentRepository {
  constructor(@InjectModel(FaceConsentDoc.name) private readonly model: Model<FaceConsentDoc>) {}

  /** Newest first. */
  async history(scope: TenantScope, traineeId: string): Promise<FaceConsent[]> {
    const docs = await this.model
      .find({ ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS), traineeId: new Types.ObjectId(traineeId) })
      .sort({ grantedAt: -1, _id: -1 })
      .lean<Lean[]>();
    return docs.map(toConsent);
  }

  /** The grant in force, if any. Face checks and enrolment ask this before touching face data. */
  async active(scope: TenantScope, traineeId: string): Promise<FaceConsent | undefined> {
    const doc = await this.model
      .findOne({ ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS), traineeId: new Types.ObjectId(traineeId), withdrawnAt: { $exists: false } })
      .sort({ grantedAt: -1, _id: -1 })
      .lean<Lean>();
    return doc ? toConsent(doc) : undefined;
  }

  /** The caller resolved `trainee` through its own scope; the tenant keys are copied from it. */
  async grant(trainee: Trainee, g: GrantRecord): Promise<FaceConsent> {
    const doc = await this.model.create({
      traineeId: new Types.ObjectId(trainee.id),
      textVersion: g.textVersion,
      grantedAt: g.at,
      grantedBy: new Types.ObjectId(g.by),
      channel: g.channel,
      signedOn: g.signedOn,
      scan: g.scan,
      institutionId: new Types.ObjectId(trainee.institutionId),
      enterpriseRegionCode: trainee.enterpriseRegionCode,
      userId: trainee.userId ? new Types.ObjectId(trainee.userId) : undefined,
    });
    return toConsent(doc.toObject() as Lean);
  }

  /** Withdraws every grant in force (normally one); returns the ids of those it withdrew. */
  async withdraw(trainee: Trainee, w: WithdrawRecord): Promise<string[]> {
    const inForce = { traineeId: new Types.ObjectId(trainee.id), withdrawnAt: { $exists: false } };
    const ids = (await this.model.find(inForce, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((d) => d._id);
    if (ids.length === 0) return [];
    const res = await this.model.updateMany(
      { ...inForce, _id: { $in: ids } },
      { $set: { withdrawnAt: w.at, withdrawnBy: new Types.ObjectId(w.by), withdrawnChannel: w.channel, ...(w.reason ? { withdrawReason: w.reason } : {}) } },
    );
    // Called inside an audit commit: the read and the update see one snapshot, and a grant withdrawn
    // meanwhile by someone else is a write conflict (the commit retries), so what was read is what changed.
    if (res.modifiedCount !== ids.length) throw new Error(`face consent withdraw: ${res.modifiedCount} of ${ids.length} withdrawn outside a transaction`);
    return ids.map((id) => id.toHexString());
  }
}
