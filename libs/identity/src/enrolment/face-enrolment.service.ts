import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { AuditEntry, AuditTrail } from '@app/audit';
import { EvidenceRecords, EvidenceStore, sha256Hex } from '@app/evidence';
import { FaceEngineProvider } from '@app/face';
import { AppError } from '@app/platform';
import { auditActorOf, traineeTenant } from '../auth/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { TenantScope, tenantScopeOf } from '../auth/tenant-scope';
import { FaceConsentService } from '../consent/face-consent.service';
import { identityError } from '../identity.errors';
import type { Trainee } from '../trainees/trainee.entity';
import { TraineeRepository } from '../trainees/trainee.repository';
import { duplicateDecision, imageTypeOf } from './duplicate-decision';
import { FaceGallery } from './face-gallery';
import { isLiveReference, type FaceReference, type FaceReferenceStatus } from './face-reference.entity';
import { FaceReferenceRepository } from './face-reference.repository';

export interface EnrolCommand {
  image: Buffer;
  /** Required once the trainee has any reference: why another photo is taken. */
  reason?: string;
  /** replace: the earlier active references are retired once this one is active; add: they stay. */
  mode: 'add' | 'replace';
  source: 'upload' | 'webcam';
}

export interface ReviewCommand {
  decision: 'approve' | 'reject';
  reason: string;
}

/**
 * Face enrolment: only the trainee's institution enrols (a trainee never enrols or replaces their
 * own reference — a stand-in would enrol their own face), only with the person's consent in force,
 * only photos the engine's gates accept, and a face that matches another trainee of the program is
 * held for an auditor instead of being used.
 */
@Injectable()
export class FaceEnrolmentService {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly references: FaceReferenceRepository,
    private readonly consents: FaceConsentService,
    private readonly gallery: FaceGallery,
    private readonly faces: FaceEngineProvider,
    private readonly evidence: EvidenceStore,
    private readonly records: EvidenceRecords,
    private readonly trail: AuditTrail,
  ) {}

  async enrol(caller: AuthUser, traineeId: string, cmd: EnrolCommand, now = new Date()): Promise<FaceReference> {
    // The route allows institution staff only; this holds even if a route is ever opened wider.
    if (caller.role !== 'institution') throw AppError.of('FORBIDDEN', { reason: 'institution-only' });
    const scope = tenantScopeOf(caller);
    const trainee = await this.trainee(scope, traineeId);
    if (!(await this.consents.hasActiveConsent(scope, trainee.id))) throw identityError('FACE_CONSENT_REQUIRED');
    const reason = cmd.reason?.trim() || undefined;
    // Only a photo in use (or awaiting review) is replaced or added to; after a rejection the next
    // photo is a first enrolment again, or the trainee could never be enrolled.
    const earlier = await this.references.history(scope, trainee.id);
    if (earlier.some(isLiveReference) && !reason) {
      throw identityError('FACE_REASON_REQUIRED', { fields: [{ field: 'reason', reasons: ['请填写采集原因'] }] });
    }

    const engine = await this.faces.engine();
    const result = await engine.enrol(cmd.image);
    if (!result.accepted) {
      throw new AppError(result.code, 422, result.message, { faces: result.faces, quality: result.quality, measured: result.details });
    }
    const type = imageTypeOf(cmd.image);
    if (!type) throw new AppError('FACE_IMAGE_INVALID', 400, '仅支持 JPEG、PNG 或 WebP 格式的照片');

    return this.gallery.exclusive(trainee.programId, async () => {
      const hits = await this.gallery.search(trainee.programId, result.descriptor);
      const decision = duplicateDecision(hits, trainee.id, engine.threshold);
      const id = new Types.ObjectId();
      // Evidence is write-once and never deleted here: the photo is named by its content, so the
      // same photo sent again (a retry after a failed write) is the same object, not another copy.
      // A photo whose commit failed stays unreferenced until retention's sweep (libs/evidence).
      const sha256 = sha256Hex(cmd.image);
      const key = `face-references/${trainee.programId}/${trainee.id}/${sha256}.${type.ext}`;
      const stored = await this.evidence.put(cmd.image, { key, contentType: type.contentType, sha256, retainUntil: this.records.retainUntil(now) });
      const status: FaceReferenceStatus = decision.held ? 'held_for_review' : 'active';
      // The photo is stored (above) before the commit; the reference, the references it replaces and
      // their records commit together. A retry re-runs only this database work.
      return this.trail.commit(auditActorOf(caller), async (tx) => {
        const reference = await this.references.insert(trainee, {
          id,
          status,
          descriptor: result.descriptor,
          quality: result.quality,
          image: { key, sha256: stored.sha256, contentType: type.contentType, size: stored.size },
          source: cmd.source,
          reason,
          enrolledBy: caller.id,
          enrolledAt: now,
          matches: decision.matches,
          replacePrevious: cmd.mode === 'replace',
        });
        await this.records.record(tx, { kind: 'face-reference', ref: stored, contentType: type.contentType, ownerId: trainee.id, ...traineeTenant(trainee), occurredAt: now });
        tx.record({
          ...referenceEntry('face-reference.enrol', reference.id, trainee, {
            status,
            mode: cmd.mode,
            source: cmd.source,
            imageSha256: stored.sha256,
            qualityScore: result.quality.score,
            matches: decision.matches.map((m) => ({ traineeId: m.traineeId, referenceId: m.referenceId, distance: m.distance })),
          }),
          ...(reason ? { reason } : {}),
        });
        if (status === 'active' && cmd.mode === 'replace') {
          for (const retired of await this.references.retireOthers(trainee.id, reference.id, caller.id, reason, now)) {
            tx.record(retireEntry(retired, reference.id, trainee, reason));
          }
        }
        return reference;
      });
    });
  }

  async history(caller: AuthUser, traineeId: string): Promise<FaceReference[]> {
    const scope = tenantScopeOf(caller);
    const trainee = await this.trainee(scope, traineeId);
    return this.references.history(scope, trainee.id);
  }

  /** The stored photo, checked against the record's hash; the read is recorded before it is served. */
  async image(caller: AuthUser, traineeId: string, referenceId: string): Promise<{ body: Readable; contentType: string; size: number }> {
    const scope = tenantScopeOf(caller);
    const reference = await this.reference(scope, traineeId, referenceId);
    let body: Readable;
    try {
      // Checked against the hash on the record: a photo altered in storage is refused (EVIDENCE_TAMPERED), not shown.
      body = await this.evidence.open(reference.image);
    } catch (e) {
      if (e instanceof AppError && e.code === 'EVIDENCE_NOT_FOUND') throw identityError('FACE_REFERENCE_NOT_FOUND', { reason: 'image-missing' });
      throw e;
    }
    try {
      const trainee = await this.trainee(scope, traineeId);
      await this.trail.recordRead(auditActorOf(caller), referenceEntry('face-reference.image.read', reference.id, trainee, { imageSha256: reference.image.sha256, status: reference.status }));
    } catch (e) {
      // Not shown without its record.
      body.destroy();
      throw e;
    }
    return { body, contentType: reference.image.contentType, size: reference.image.size };
  }

  /** Auditors (in their jurisdiction) and administrators settle a held enrolment, in one commit with its record (reason = 审核意见). */
  async review(caller: AuthUser, traineeId: string, referenceId: string, cmd: ReviewCommand, now = new Date()): Promise<FaceReference> {
    if (caller.role !== 'auditor' && caller.role !== 'admin') throw AppError.of('FORBIDDEN');
    const scope = tenantScopeOf(caller);
    const current = await this.reference(scope, traineeId, referenceId);
    const trainee = await this.trainee(scope, traineeId);
    const settled = await this.trail.commit(auditActorOf(caller), async (tx) => {
      const done = await this.references.settleReview(scope, traineeId, referenceId, { ...cmd, by: caller.id, at: now });
      if (!done) throw identityError('FACE_REVIEW_NOT_PENDING', { status: current.status });
      tx.record({
        ...referenceEntry('face-reference.review', referenceId, trainee, { decision: cmd.decision, status: done.reference.status }),
        before: { status: 'held_for_review' },
        reason: cmd.reason,
      });
      if (cmd.decision === 'approve' && done.replacePrevious) {
        for (const retired of await this.references.retireOthers(traineeId, referenceId, caller.id, current.reason, now)) {
          tx.record(retireEntry(retired, referenceId, trainee, current.reason));
        }
      }
      return done;
    });
    return (await this.references.findById(scope, traineeId, referenceId)) ?? settled.reference;
  }

  async pendingReview(caller: AuthUser, limit = 100): Promise<FaceReference[]> {
    return this.references.listByStatus(tenantScopeOf(caller), 'held_for_review', limit);
  }

  /** For face checks: the descriptors of the trainee's active references; empty without consent. */
  async activeDescriptors(scope: TenantScope, traineeId: string): Promise<number[][]> {
    if (!(await this.consents.hasActiveConsent(scope, traineeId))) return [];
    return this.references.activeDescriptors(scope, traineeId);
  }

  private async reference(scope: TenantScope, traineeId: string, referenceId: string): Promise<FaceReference> {
    const reference = await this.references.findById(scope, traineeId, referenceId);
    if (!reference) throw identityError('FACE_REFERENCE_NOT_FOUND');
    return reference;
  }

  private async trainee(scope: TenantScope, traineeId: string): Promise<Trainee> {
    const trainee = await this.trainees.findById(scope, traineeId);
    if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
    return trainee;
  }
}

function referenceEntry(action: string, referenceId: string, trainee: Trainee, after: object): AuditEntry {
  return { action, target: { type: 'face-reference', id: referenceId }, tenant: traineeTenant(trainee), after: { traineeId: trainee.id, ...after } };
}

/** An earlier reference retired as the side effect of a replacement (enrolled or approved). */
function retireEntry(retiredId: string, replacedBy: string, trainee: Trainee, reason: string | undefined): AuditEntry {
  return {
    ...referenceEntry('face-reference.retire', retiredId, trainee, { status: 'retired', replacedBy }),
    before: { status: 'active' },
    ...(reason ? { reason } : {}),
  };
}
