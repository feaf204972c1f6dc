import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { TenantScope, tenantScopeOf } from '../auth/tenant-scope';
import { identityError } from '../identity.errors';
import type { Trainee } from '../trainees/trainee.entity';
import { TraineeRepository } from '../trainees/trainee.repository';
import { FaceConsent, FaceConsentRepository } from './face-consent.repository';
import { FACE_CONSENT_TEXT } from './face-consent.text';

export interface FaceConsentStatus {
  active: boolean;
  current?: FaceConsent;
  history: FaceConsent[];
  /** The version a new grant must name. */
  currentTextVersion: string;
}

/** Separate consent for face data: only the person grants or withdraws it; staff and auditors see it. */
@Injectable()
export class FaceConsentService {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly consents: FaceConsentRepository,
  ) {}

  async status(caller: AuthUser, traineeId: string): Promise<FaceConsentStatus> {
    const scope = tenantScopeOf(caller);
    await this.trainee(scope, traineeId);
    const history = await this.consents.history(scope, traineeId);
    const current = history.find((c) => !c.withdrawnAt);
    return { active: current !== undefined, current, history, currentTextVersion: FACE_CONSENT_TEXT.version };
  }

  /** Idempotent: granting while a grant of the same text is in force changes nothing. */
  async grant(caller: AuthUser, traineeId: string, textVersion: string, now = new Date()): Promise<FaceConsentStatus> {
    const trainee = await this.ownRecord(caller, traineeId);
    if (textVersion !== FACE_CONSENT_TEXT.version) {
      throw identityError('CONSENT_TEXT_OUTDATED', { fields: [{ field: 'textVersion', reasons: [`当前版本为 ${FACE_CONSENT_TEXT.version}`] }] });
    }
    const active = await this.consents.active(tenantScopeOf(caller), trainee.id);
    if (active?.textVersion !== textVersion) {
      // Agreeing to a new wording replaces the old grant, and the history shows both.
      if (active) await this.consents.withdraw(trainee, caller.id, now);
      await this.consents.grant(trainee, textVersion, caller.id, now);
    }
    return this.status(caller, traineeId);
  }

  async withdraw(caller: AuthUser, traineeId: string, now = new Date()): Promise<FaceConsentStatus> {
    const trainee = await this.ownRecord(caller, traineeId);
    await this.consents.withdraw(trainee, caller.id, now);
    return this.status(caller, traineeId);
  }

  /** For face enrolment and checks: false when never granted or withdrawn. */
  async hasActiveConsent(scope: TenantScope, traineeId: string): Promise<boolean> {
    return (await this.consents.active(scope, traineeId)) !== undefined;
  }

  private async trainee(scope: TenantScope, traineeId: string): Promise<Trainee> {
    const trainee = await this.trainees.findById(scope, traineeId);
    if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
    return trainee;
  }

  /** Consent is the person's own act: nobody grants or withdraws it for them. */
  private async ownRecord(caller: AuthUser, traineeId: string): Promise<Trainee> {
    if (caller.role !== 'trainee') throw identityError('CONSENT_SELF_ONLY');
    return this.trainee(tenantScopeOf(caller), traineeId);
  }
}
