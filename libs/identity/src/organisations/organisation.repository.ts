import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { QueryFilter, isValidObjectId, Model, Types } from 'mongoose';
import { checkedRegionPrefix, regionPrefixOf, TenantScope } from '../auth/tenant-scope';
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
    qualification: doc.qualification,
    qualificationReview: doc.qualificationReview,
  };
}

@Injectable()
export class OrganisationRepository {
  constructor(@InjectModel(OrganisationDoc.name) private readonly model: Model<OrganisationDoc>) {}

  /** Not tenant data on its own: used to resolve a user's organisation at login and on account creation. */
  async findById(id: string): Promise<Organisation | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findById(id).lean<Lean>();
    return doc ? toOrganisation(doc) : undefined;
  }

  /** Same natural key as {@link upsert} for organisations without a credit code. */
  async findByName(kind: OrganisationKind, regionCode: string, name: string): Promise<Organisation | undefined> {
    const doc = await this.model.findOne({ kind, regionCode, name }).lean<Lean>();
    return doc ? toOrganisation(doc) : undefined;
  }

  /**
   * Organisations the caller may see: administrators all; auditors those located in their
   * jurisdiction (including departments); institution staff their own institution plus the
   * enterprises of its region (the ones it can enrol trainees from); trainees none.
   */
  async listVisible(scope: TenantScope, kind?: OrganisationKind): Promise<Organisation[]> {
    const byKind: QueryFilter<OrganisationDoc> = kind ? { kind } : {};
    let filter: QueryFilter<OrganisationDoc>;
    switch (scope.kind) {
      case 'all':
        filter = byKind;
        break;
      case 'jurisdiction':
        filter = { ...byKind, regionCode: { $regex: `^${checkedRegionPrefix(scope.regionPrefix)}` } };
        break;
      case 'institution':
        filter = {
          ...byKind,
          $or: [
            { _id: new Types.ObjectId(scope.institutionId) },
            { kind: 'enterprise', regionCode: { $regex: `^${regionPrefixOf(scope.regionCode)}` } },
          ],
        };
        break;
      case 'self':
        return [];
    }
    const docs = await this.model.find(filter).sort({ kind: 1, regionCode: 1, name: 1 }).lean<Lean[]>();
    return docs.map(toOrganisation);
  }

  /** Duplicate credit codes or names surface as the driver's duplicate-key error (→ 409 DUPLICATE). */
  async create(org: NewOrganisation): Promise<Organisation> {
    const doc = await this.model.create(org);
    return toOrganisation(doc.toObject() as Lean);
  }

  /** Idempotent by natural key: credit code when there is one, else kind + region + name. */
  async upsert(org: NewOrganisation): Promise<{ created: boolean }> {
    const key = org.uscc ? { uscc: org.uscc } : { kind: org.kind, regionCode: org.regionCode, name: org.name };
    const res = await this.model.updateOne(key, { $set: org }, { upsert: true, runValidators: true });
    return { created: res.upsertedCount > 0 };
  }
}
