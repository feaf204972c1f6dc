import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { QueryFilter, isValidObjectId, Model, Types } from 'mongoose';
import { regionPrefixFilter, ScopeColumns, scopeFilter } from '../auth/scope-filter';
import { regionPrefixOf, TenantScope } from '../auth/tenant-scope';
import type { NewOrganisation, Organisation, OrganisationKind } from './organisation.entity';
import { OrganisationDoc } from './organisation.schema';

type Lean = OrganisationDoc & { _id: Types.ObjectId };

/** An institution is its own row; an organisation's region is where it is located. */
const ORGANISATION_SCOPE_COLUMNS: ScopeColumns = { institution: '_id', region: 'regionCode', ids: 'objectId' };

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
   *
   * Only part of this is a tenant filter: the institution's own row and the auditor's region go
   * through {@link scopeFilter}; the enterprises of the institution's region are a visibility rule
   * of organisations (whom it may enrol), and a trainee sees no organisation at all (there is no
   * user column to filter on), so those two stay here.
   */
  async listVisible(scope: TenantScope, kind?: OrganisationKind): Promise<Organisation[]> {
    if (scope.kind === 'self') return [];
    const byKind: QueryFilter<OrganisationDoc> = kind ? { kind } : {};
    const tenant = scopeFilter(scope, ORGANISATION_SCOPE_COLUMNS);
    const filter: QueryFilter<OrganisationDoc> =
      scope.kind === 'institution'
        ? { ...byKind, $or: [tenant, { kind: 'enterprise', ...regionPrefixFilter('regionCode', regionPrefixOf(scope.regionCode)) }] }
        : { ...byKind, ...tenant };
    const docs = await this.model.find(filter).sort({ kind: 1, regionCode: 1, name: 1 }).lean<Lean[]>();
    return docs.map(toOrganisation);
  }

  /** Duplicate credit codes or names surface as the driver's duplicate-key error (→ 409 DUPLICATE). */
  async create(org: NewOrganisation): Promise<Organisation> {
    const doc = await this.model.create(org);
    return toOrganisation(doc.toObject() as Lean);
  }

  /** Idempotent by natural key: credit code when there is one, else kind + region + name. */
  async upsert(org: NewOrganisation): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; id: string }> {
    const key = org.uscc ? { uscc: org.uscc } : { kind: org.kind, regionCode: org.regionCode, name: org.name };
    const now = new Date();
    // Timestamps by hand: mongoose's would set updatedAt on every call, so every call would "modify" the row.
    const res = await this.model.updateOne(key, { $set: org, $setOnInsert: { createdAt: now, updatedAt: now } }, { upsert: true, runValidators: true, timestamps: false });
    if (res.upsertedCount > 0) return { outcome: 'created', id: String(res.upsertedId) };
    const doc = await this.model.findOne(key, { _id: 1 }).lean<{ _id: Types.ObjectId }>();
    if (res.modifiedCount === 0) return { outcome: 'unchanged', id: doc!._id.toHexString() };
    await this.model.updateOne({ _id: doc!._id }, { $set: { updatedAt: now } }, { timestamps: false });
    return { outcome: 'updated', id: doc!._id.toHexString() };
  }
}
