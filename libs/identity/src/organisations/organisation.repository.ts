import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { NewOrganisation, Organisation, OrganisationKind } from './organisation.entity';
import { OrganisationDoc } from './organisation.schema';

type Lean = OrganisationDoc & { _id: Types.ObjectId };

function toOrganisation(doc: Lean): Organisation {
  return {
    id: doc._id.toHexString(),
    kind: doc.kind as OrganisationKind,
    name: doc.name,
    uscc: doc.uscc,
    regionCode: doc.regionCode,
    industry: doc.industry,
    department: doc.department as Organisation['department'],
    demo: doc.demo,
  };
}

@Injectable()
export class OrganisationRepository {
  constructor(@InjectModel(OrganisationDoc.name) private readonly model: Model<OrganisationDoc>) {}

  /** Organisations whose region lies in the given jurisdiction prefix (e.g. '2307' = 伊春市). */
  async listInRegion(kind: OrganisationKind, regionPrefix: string): Promise<Organisation[]> {
    if (!/^\d{0,6}$/.test(regionPrefix)) throw new RangeError('regionPrefix must be digits');
    const docs = await this.model
      .find({ kind, regionCode: { $regex: `^${regionPrefix}` } })
      .sort({ regionCode: 1, name: 1 })
      .lean<Lean[]>();
    return docs.map(toOrganisation);
  }

  /** Idempotent by natural key: credit code when there is one, else kind + region + name. */
  async upsert(org: NewOrganisation): Promise<{ created: boolean }> {
    const key = org.uscc ? { uscc: org.uscc } : { kind: org.kind, regionCode: org.regionCode, name: org.name };
    const res = await this.model.updateOne(key, { $set: org }, { upsert: true, runValidators: true });
    return { created: res.upsertedCount > 0 };
  }
}
