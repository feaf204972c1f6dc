import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import type { EnrolmentQuality } from '@app/face';
import { ScopeColumns, scopeFilter } from '../auth/scope-filter';
import type { SystemScope, TenantScope } from '../auth/tenant-scope';
import type { Trainee } from '../trainees/trainee.entity';
import { TraineeRepository } from '../trainees/trainee.repository';
import type { FaceMatch, FaceReference, FaceReferenceStatus } from './face-reference.entity';
import { FaceReferenceDoc } from './face-reference.schema';

/**
 * The tenant keys copied from the trainee at enrolment. No user column on purpose: the photo may
 * have been enrolled before the login was linked to the record, so a copied userId can be missing,
 * and a trainee's own scope goes through their trainee records instead (see the repository).
 */
const FACE_REFERENCE_COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'enterpriseRegionCode', ids: 'objectId' };

type Lean = FaceReferenceDoc & { _id: Types.ObjectId; updatedAt: Date };

function toReference(d: Lean): FaceReference {
  return {
    id: d._id.toHexString(),
    traineeId: d.traineeId.toHexString(),
    programId: d.programId.toHexString(),
    status: d.status as FaceReferenceStatus,
    descriptor: d.descriptor,
    quality: d.quality as unknown as EnrolmentQuality,
    image: { key: d.imageKey, sha256: d.imageSha256, contentType: d.imageType, size: d.imageSize },
    source: d.source as FaceReference['source'],
    reason: d.reason ?? undefined,
    enrolledBy: d.enrolledBy.toHexString(),
    enrolledAt: d.enrolledAt,
    matches: (d.matches ?? []).map((m) => ({ traineeId: m.traineeId.toHexString(), referenceId: m.referenceId.toHexString(), distance: m.distance })),
    review: d.review && {
      decision: d.review.decision as 'approve' | 'reject',
      reason: d.review.reason,
      by: d.review.by.toHexString(),
      at: d.review.at,
    },
    retired: d.retired && { reason: d.retired.reason, by: d.retired.by.toHexString(), at: d.retired.at },
  };
}

export interface NewFaceReference {
  id: Types.ObjectId;
  status: FaceReferenceStatus;
  descriptor: number[];
  quality: EnrolmentQuality;
  image: FaceReference['image'];
  source: FaceReference['source'];
  reason?: string;
  enrolledBy: string;
  enrolledAt: Date;
  matches: FaceMatch[];
  /** Retire the trainee's other active references once this one becomes active. */
  replacePrevious: boolean;
}

/** What the duplicate-person gallery needs of a reference. */
export interface GalleryEntry {
  id: string;
  traineeId: string;
  status: FaceReferenceStatus;
  descriptor: number[];
  updatedAt: Date;
}

@Injectable()
export class FaceReferenceRepository {
  constructor(
    @InjectModel(FaceReferenceDoc.name) private readonly model: Model<FaceReferenceDoc>,
    private readonly trainees: TraineeRepository,
  ) {}

  /**
   * Institution and jurisdiction scopes filter on the tenant keys copied at enrolment; a trainee's
   * own scope on the ids of their trainee records (see {@link FACE_REFERENCE_COLUMNS}).
   */
  private async scopeFilter(scope: TenantScope): Promise<Record<string, unknown>> {
    if (scope.kind !== 'self') return scopeFilter(scope, FACE_REFERENCE_COLUMNS);
    const own = await this.trainees.list(scope, {}, { offset: 0, limit: 100 });
    return { traineeId: { $in: own.items.map((t) => new Types.ObjectId(t.id)) } };
  }

  /** Newest first. */
  async history(scope: TenantScope, traineeId: string): Promise<FaceReference[]> {
    if (!isValidObjectId(traineeId)) return [];
    const docs = await this.model
      .find({ ...(await this.scopeFilter(scope)), traineeId: new Types.ObjectId(traineeId) })
      .sort({ enrolledAt: -1, _id: -1 })
      .lean<Lean[]>();
    return docs.map(toReference);
  }

  async findById(scope: TenantScope, traineeId: string, id: string): Promise<FaceReference | undefined> {
    if (!isValidObjectId(id) || !isValidObjectId(traineeId)) return undefined;
    const doc = await this.model
      .findOne({ ...(await this.scopeFilter(scope)), _id: new Types.ObjectId(id), traineeId: new Types.ObjectId(traineeId) })
      .lean<Lean>();
    return doc ? toReference(doc) : undefined;
  }

  /** Review queue: references in a status within the caller's scope, oldest first. */
  async listByStatus(scope: TenantScope, status: FaceReferenceStatus, limit: number): Promise<FaceReference[]> {
    const docs = await this.model
      .find({ ...(await this.scopeFilter(scope)), status })
      .sort({ enrolledAt: 1, _id: 1 })
      .limit(limit)
      .lean<Lean[]>();
    return docs.map(toReference);
  }

  /** Only active references serve face checks. */
  async activeDescriptors(scope: TenantScope, traineeId: string): Promise<number[][]> {
    if (!isValidObjectId(traineeId)) return [];
    const docs = await this.model
      .find({ ...(await this.scopeFilter(scope)), traineeId: new Types.ObjectId(traineeId), status: 'active' }, { descriptor: 1 })
      .lean<Lean[]>();
    return docs.map((d) => d.descriptor);
  }

  /** The caller resolved `trainee` through its own scope; the tenant keys are copied from it. */
  async insert(trainee: Trainee, r: NewFaceReference): Promise<FaceReference> {
    const doc = await this.model.create({
      _id: r.id,
      traineeId: new Types.ObjectId(trainee.id),
      programId: new Types.ObjectId(trainee.programId),
      institutionId: new Types.ObjectId(trainee.institutionId),
      enterpriseRegionCode: trainee.enterpriseRegionCode,
      userId: trainee.userId ? new Types.ObjectId(trainee.userId) : undefined,
      status: r.status,
      descriptor: r.descriptor,
      quality: { ...r.quality },
      imageKey: r.image.key,
      imageSha256: r.image.sha256,
      imageType: r.image.contentType,
      imageSize: r.image.size,
      source: r.source,
      reason: r.reason,
      enrolledBy: new Types.ObjectId(r.enrolledBy),
      enrolledAt: r.enrolledAt,
      matches: r.matches.map((m) => ({ traineeId: new Types.ObjectId(m.traineeId), referenceId: new Types.ObjectId(m.referenceId), distance: m.distance })),
      replacePrevious: r.replacePrevious,
    });
    return toReference(doc.toObject() as Lean);
  }

  /**
   * Retires the trainee's active references other than `keepId` (a replacement took their place);
   * returns the ids it retired. Called inside an audit commit: the read and the update see one
   * snapshot, and a reference changed meanwhile is a write conflict that retries the commit.
   */
  async retireOthers(traineeId: string, keepId: string, by: string, reason: string | undefined, at: Date): Promise<string[]> {
    const others = { traineeId: new Types.ObjectId(traineeId), status: 'active', _id: { $ne: new Types.ObjectId(keepId) } };
    const ids = (await this.model.find(others, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((d) => d._id);
    if (ids.length === 0) return [];
    await this.model.updateMany({ ...others, _id: { $in: ids } }, { $set: { status: 'retired', retired: { reason, by: new Types.ObjectId(by), at } } });
    return ids.map((id) => id.toHexString());
  }

  /**
   * Settles a held reference, only if it is still held (two reviewers racing: one wins). Returns
   * the updated reference and whether it asked to replace the earlier ones, or undefined.
   */
  async settleReview(
    scope: TenantScope,
    traineeId: string,
    id: string,
    review: { decision: 'approve' | 'reject'; reason: string; by: string; at: Date },
  ): Promise<{ reference: FaceReference; replacePrevious: boolean } | undefined> {
    if (!isValidObjectId(id) || !isValidObjectId(traineeId)) return undefined;
    const doc = await this.model
      .findOneAndUpdate(
        { ...(await this.scopeFilter(scope)), _id: new Types.ObjectId(id), traineeId: new Types.ObjectId(traineeId), status: 'held_for_review' },
        {
          $set: {
            status: review.decision === 'approve' ? 'active' : 'rejected',
            review: { decision: review.decision, reason: review.reason, by: new Types.ObjectId(review.by), at: review.at },
          },
        },
        { returnDocument: 'after' },
      )
      .lean<Lean & { replacePrevious?: boolean }>();
    return doc ? { reference: toReference(doc), replacePrevious: doc.replacePrevious === true } : undefined;
  }

  /**
   * For the duplicate-person gallery, across every institution of a program — a system read, hence
   * a system scope: references of the program changed at or after `since`.
   */
  async changedSince(scope: SystemScope, programId: string, since: Date): Promise<GalleryEntry[]> {
    const docs = await this.model
      .find(
        { ...scopeFilter(scope, FACE_REFERENCE_COLUMNS), programId: new Types.ObjectId(programId), updatedAt: { $gte: since } },
        { traineeId: 1, status: 1, descriptor: 1, updatedAt: 1 },
      )
      .sort({ updatedAt: 1 })
      .lean<Lean[]>();
    return docs.map((d) => ({
      id: d._id.toHexString(),
      traineeId: d.traineeId.toHexString(),
      status: d.status as FaceReferenceStatus,
      descriptor: d.descriptor,
      updatedAt: d.updatedAt,
    }));
  }
}
