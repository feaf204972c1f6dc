import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AuditEntry, AuditTrail } from '@app/audit';
import { EvidenceStore, sha256Hex } from '@app/evidence';
import { AppError } from '@app/platform';
import { auditActorOf, traineeTenant } from '../auth/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { commitIfChanged } from '../audit/identity-audit';
import { TenantScope, tenantScopeOf } from '../auth/tenant-scope';
import { identityError } from '../identity.errors';
import type { Trainee } from '../trainees/trainee.entity';
import { TraineeRepository } from '../trainees/trainee.repository';
import { imageTypeOf } from '../enrolment/duplicate-decision';
import { FaceConsent, FaceConsentRepository } from './face-consent.repository';
import { FACE_CONSENT_TEXT } from './face-consent.text';

export interface PaperGrantCommand {
  /** The scanned signed form: JPEG, PNG, WebP or PDF. */
  scan: Buffer;
  /** YYYY-MM-DD the trainee signed it. */
  signedOn: string;
  /** The version printed on the form, which must be the one in force. */
  textVersion: string;
}

/** Forms are scanned the day they are signed or soon after; older dates are typos more often than not. */
const PAPER_FORM_MAX_AGE_DAYS = 366;

function scanTypeOf(bytes: Buffer): { contentType: string; ext: string } | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return { contentType: 'application/pdf', ext: 'pdf' };
  return imageTypeOf(bytes);
}

/** A calendar date (YYYY-MM-DD, China time) no later than today and not older than the limit. */
export function signedOnProblem(signedOn: string, now: Date): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(signedOn);
  const day = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
  if (!day || day.toISOString().slice(0, 10) !== signedOn) return '签署日期格式应为 YYYY-MM-DD';
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  if (signedOn > today) return '签署日期不能晚于今天';
  const earliest = new Date(Date.parse(today) - PAPER_FORM_MAX_AGE_DAYS * 86400_000).toISOString().slice(0, 10);
  if (signedOn < earliest) return '签署日期早于一年前，请核对';
  return undefined;
}

export interface FaceConsentStatus {
  active: boolean;
  current?: FaceConsent;
  history: FaceConsent[];
  /** The version a new grant must name. */
  currentTextVersion: string;
}

/**
 * Separate consent for face data: the person grants or withdraws it — online in their own account,
 * or on the signed paper form, which their institution records with a scan of it (many trainees
 * have no account yet when the photo is taken). Staff and auditors see the state and its history.
 */
@Injectable()
export class FaceConsentService {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly consents: FaceConsentRepository,
    private readonly evidence: EvidenceStore,
    private readonly trail: AuditTrail,
  ) {}

  async status(caller: AuthUser, traineeId: string): Promise<FaceConsentStatus> {
    const scope = tenantScopeOf(caller);
    await this.trainee(scope, traineeId);
    const history = await this.consents.history(scope, traineeId);
    const current = history.find((c) => !c.withdrawnAt);
    return { active: current !== undefined, current, history, currentTextVersion: FACE_CONSENT_TEXT.version };
  }

  /** Idempotent: granting while a grant of the same text is in force changes nothing (and records nothing). */
  async grant(caller: AuthUser, traineeId: string, textVersion: string, now = new Date()): Promise<FaceConsentStatus> {
    const trainee = await this.ownRecord(caller, traineeId);
    requireCurrentText(textVersion);
    await commitIfChanged(this.trail, auditActorOf(caller), async (tx) => {
      const active = await this.consents.active(tenantScopeOf(caller), trainee.id);
      if (active?.textVersion === textVersion) return;
      // Agreeing to a new wording replaces the old grant, and the history shows both.
      if (active) {
        for (const id of await this.consents.withdraw(trainee, { by: caller.id, at: now, channel: 'online' })) {
          tx.record(consentEntry('face-consent.withdraw', id, trainee, { channel: 'online', supersededBy: textVersion }));
        }
      }
      const granted = await this.consents.grant(trainee, { textVersion, by: caller.id, at: now, channel: 'online' });
      tx.record(consentEntry('face-consent.grant', granted.id, trainee, { textVersion, channel: 'online' }));
    });
    return this.status(caller, traineeId);
  }

  /** Withdrawing with nothing in force changes nothing (and records nothing). */
  async withdraw(caller: AuthUser, traineeId: string, now = new Date()): Promise<FaceConsentStatus> {
    const trainee = await this.ownRecord(caller, traineeId);
    await commitIfChanged(this.trail, auditActorOf(caller), async (tx) => {
      for (const id of await this.consents.withdraw(trainee, { by: caller.id, at: now, channel: 'online' })) {
        tx.record(consentEntry('face-consent.withdraw', id, trainee, { channel: 'online' }));
      }
    });
    return this.status(caller, traineeId);
  }

  /**
   * The institution records the paper form the trainee signed. The scan is kept as evidence (named
   * by its content, so a retried upload is the same object) before the commit of the grant that
   * points at it: a failed commit leaves at most an unreferenced scan, never a grant without one.
   */
  async recordPaperGrant(caller: AuthUser, traineeId: string, cmd: PaperGrantCommand, now = new Date()): Promise<FaceConsentStatus> {
    const trainee = await this.institutionRecord(caller, traineeId);
    requireCurrentText(cmd.textVersion);
    const problem = signedOnProblem(cmd.signedOn, now);
    if (problem) throw AppError.of('VALIDATION_FAILED', { fields: [{ field: 'signedOn', reasons: [problem] }] });
    const type = scanTypeOf(cmd.scan);
    if (!type) throw identityError('CONSENT_SCAN_INVALID');
    if (await this.consents.active(tenantScopeOf(caller), trainee.id)) throw identityError('CONSENT_ALREADY_ACTIVE');
    const sha256 = sha256Hex(cmd.scan);
    const key = `face-consents/${trainee.programId}/${trainee.id}/${sha256}.${type.ext}`;
    const stored = await this.evidence.put(cmd.scan, { key, contentType: type.contentType, sha256 });
    await this.trail.commit(auditActorOf(caller), async (tx) => {
      // Checked again inside the transaction: a grant recorded meanwhile is a conflict, not a second grant.
      if (await this.consents.active(tenantScopeOf(caller), trainee.id)) throw identityError('CONSENT_ALREADY_ACTIVE');
      const granted = await this.consents.grant(trainee, {
        textVersion: cmd.textVersion,
        by: caller.id,
        at: now,
        channel: 'paper',
        signedOn: cmd.signedOn,
        scan: { key, sha256: stored.sha256, size: stored.size, contentType: type.contentType },
      });
      tx.record(
        consentEntry('face-consent.paper.record', granted.id, trainee, {
          textVersion: cmd.textVersion,
          channel: 'paper',
          signedOn: cmd.signedOn,
          scanSha256: stored.sha256,
          scanSize: stored.size,
          scanType: type.contentType,
        }),
      );
    });
    return this.status(caller, traineeId);
  }

  /** A trainee without an account (or who asks in person) withdraws through the institution, which records what they said. */
  async recordPaperWithdrawal(caller: AuthUser, traineeId: string, reason: string, now = new Date()): Promise<FaceConsentStatus> {
    const trainee = await this.institutionRecord(caller, traineeId);
    const why = reason.trim();
    if (!why) throw AppError.of('VALIDATION_FAILED', { fields: [{ field: 'reason', reasons: ['请填写学员撤回同意的方式与说明'] }] });
    await this.trail.commit(auditActorOf(caller), async (tx) => {
      const withdrawn = await this.consents.withdraw(trainee, { by: caller.id, at: now, channel: 'paper', reason: why });
      if (withdrawn.length === 0) throw identityError('CONSENT_NOT_ACTIVE');
      for (const id of withdrawn) tx.record({ ...consentEntry('face-consent.paper.withdraw', id, trainee, { channel: 'paper' }), reason: why });
    });
    return this.status(caller, traineeId);
  }

  /** The scanned form behind a paper grant, checked against its hash (a replaced file is refused, not shown); the read is recorded before it is served. */
  async paperScan(caller: AuthUser, traineeId: string, consentId: string): Promise<{ body: Readable; contentType: string; size: number }> {
    const scope = tenantScopeOf(caller);
    const trainee = await this.trainee(scope, traineeId);
    const consent = (await this.consents.history(scope, traineeId)).find((c) => c.id === consentId);
    if (!consent?.scan) throw identityError('CONSENT_SCAN_NOT_FOUND');
    const body = await this.evidence.open(consent.scan);
    try {
      await this.trail.recordRead(auditActorOf(caller), consentEntry('face-consent.scan.read', consent.id, trainee, { scanSha256: consent.scan.sha256 }));
    } catch (e) {
      // Not shown without its record.
      body.destroy();
      throw e;
    }
    return { body, contentType: consent.scan.contentType, size: consent.scan.size };
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

  /** Only the trainee's own institution records the forms it collected. */
  private async institutionRecord(caller: AuthUser, traineeId: string): Promise<Trainee> {
    if (caller.role !== 'institution') throw AppError.of('FORBIDDEN', { reason: 'institution-only' });
    return this.trainee(tenantScopeOf(caller), traineeId);
  }

  /** Online, consent is the person's own act: nobody clicks it for them. */
  private async ownRecord(caller: AuthUser, traineeId: string): Promise<Trainee> {
    if (caller.role !== 'trainee') throw identityError('CONSENT_SELF_ONLY');
    return this.trainee(tenantScopeOf(caller), traineeId);
  }
}

function requireCurrentText(textVersion: string): void {
  if (textVersion !== FACE_CONSENT_TEXT.version) {
    throw identityError('CONSENT_TEXT_OUTDATED', { fields: [{ field: 'textVersion', reasons: [`当前版本为 ${FACE_CONSENT_TEXT.version}`] }] });
  }
}

function consentEntry(action: string, consentId: string, trainee: Trainee, after: object): AuditEntry {
  return { action, target: { type: 'face-consent', id: consentId }, tenant: traineeTenant(trainee), after: { traineeId: trainee.id, ...after } };
}
