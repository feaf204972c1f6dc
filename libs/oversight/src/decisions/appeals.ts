import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { EvidenceStore, sha256Hex } from '@app/evidence';
import { auditActorOf, AuthUser, tenantScopeOf } from '@app/identity';
import { AppError, Clock, ClockToken, isDuplicateKey } from '@app/platform';
import { oversightEntry, tenantOf } from '../oversight-audit';
import { oversightError } from '../oversight.errors';
import { AppealRecord, DecisionRepository, VoidRecord } from '../persistence/decision.repository';
import { OversightItemRepository } from '../persistence/item.repository';
import { VoidCredit, voidLink } from './void-credit';

export interface AppealFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

const MAX_FILES = 5;
const MAX_BYTES = 10 * 1024 * 1024;
const extOf = (name: string) => (/\.([a-z0-9]{1,8})$/i.exec(name)?.[1] ?? 'bin').toLowerCase();

/**
 * Appeals: the trainee or the institution a void concerns sees why and may appeal once, with a
 * statement and files kept as evidence (write-once, before the commit); another auditor than the
 * one who voided decides. Upheld, every compensation is restored, linked to the void and the appeal.
 */
@Injectable()
export class Appeals {
  constructor(
    private readonly decisions: DecisionRepository,
    private readonly items: OversightItemRepository,
    private readonly voids: VoidCredit,
    private readonly evidence: EvidenceStore,
    private readonly trail: AuditTrail,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  /** The caller's voids with their appeals: a trainee's own, an institution's trainees', an auditor's jurisdiction. */
  async voidsOf(user: AuthUser, traineeId?: string): Promise<(VoidRecord & { appeal?: AppealRecord })[]> {
    const voids = await this.decisions.listVoids(tenantScopeOf(user), { traineeId });
    return Promise.all(voids.map(async (v) => ({ ...v, appeal: await this.decisions.appealOf(v.id) })));
  }

  async file(user: AuthUser, voidId: string, statementText: string, files: readonly AppealFile[]): Promise<AppealRecord> {
    if (user.role !== 'trainee' && user.role !== 'institution') throw AppError.of('FORBIDDEN', { reason: 'appeal' });
    const statement = typeof statementText === 'string' ? statementText.trim() : '';
    if (!statement || statement.length > 4000) throw oversightError('STATEMENT_REQUIRED');
    if (files.length > MAX_FILES || files.some((f) => f.bytes.byteLength > MAX_BYTES)) throw oversightError('EVIDENCE_TOO_LARGE');
    const v = await this.decisions.findVoid(tenantScopeOf(user), voidId);
    if (!v) throw oversightError('VOID_NOT_FOUND');
    if (await this.decisions.appealOf(v.id)) throw oversightError('APPEAL_EXISTS');
    if (v.status !== 'active') throw oversightError('VOID_NOT_ACTIVE');
    const evidence: AppealRecord['evidence'][number][] = [];
    for (const f of files) {
      const sha256 = sha256Hex(f.bytes);
      const ref = await this.evidence.put(Buffer.from(f.bytes), { key: `oversight-appeals/${v.id}/${sha256}.${extOf(f.name)}`, contentType: f.contentType || 'application/octet-stream', sha256 });
      evidence.push({ key: ref.key, sha256: ref.sha256, size: ref.size, contentType: f.contentType || 'application/octet-stream', name: f.name.slice(0, 200) });
    }
    try {
      return await this.trail.commit(auditActorOf(user), async (tx) => {
        const appeal = await this.decisions.insertAppeal({ voidId: v.id, traineeId: v.traineeId, institutionId: v.institutionId, regionCode: v.regionCode, userId: v.userId, by: user.id, byRole: user.role, statement, evidence, at: new Date(this.clock.now()), status: 'pending' });
        tx.record(oversightEntry('oversight-appeal.file', 'appeal', appeal.id, tenantOf(v), { voidId: v.id, evidence: evidence.map((e) => e.sha256) }, statement.slice(0, 2000)));
        return appeal;
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw oversightError('APPEAL_EXISTS');
      throw e;
    }
  }

  pending(user: AuthUser): Promise<AppealRecord[]> {
    if (user.role !== 'auditor' && user.role !== 'admin') throw AppError.of('FORBIDDEN', { reason: 'appeals' });
    return this.decisions.listAppeals(tenantScopeOf(user), 'pending');
  }

  async decide(user: AuthUser, appealId: string, uphold: boolean, reasonText: string): Promise<AppealRecord> {
    if (user.role !== 'auditor' && user.role !== 'admin') throw AppError.of('FORBIDDEN', { reason: 'appeals' });
    const scope = tenantScopeOf(user);
    const reason = typeof reasonText === 'string' ? reasonText.trim() : '';
    if (!reason || reason.length > 2000) throw oversightError('REASON_REQUIRED');
    const appeal = await this.decisions.findAppeal(scope, appealId);
    if (!appeal) throw oversightError('APPEAL_NOT_FOUND');
    if (appeal.status !== 'pending') throw oversightError('APPEAL_DECIDED');
    const v = (await this.decisions.findVoid(scope, appeal.voidId))!;
    if (v.by === user.id) throw oversightError('SAME_AUDITOR');
    const at = new Date(this.clock.now());
    return this.trail.commit(auditActorOf(user), async (tx) => {
      let restorations: string[] = [];
      if (uphold) {
        if (v.status !== 'active') throw oversightError('VOID_NOT_ACTIVE');
        restorations = await this.voids.restoreAll(tx, scope, v, `申诉成立，恢复学时：${reason}`, user.id, [voidLink(v.id), `oversight-appeal:${appeal.id}`]);
        if (!(await this.decisions.undoVoid(v.id, { kind: 'restored', by: user.id, at, reason, appealId: appeal.id, restorations }))) throw oversightError('VOID_NOT_ACTIVE');
        await this.items.reopen(v.id, { kind: 'appeal-upheld', by: user.id, at, reason, voidId: v.id });
      }
      if (!(await this.decisions.decideAppeal(appeal.id, uphold ? 'upheld' : 'rejected', { by: user.id, at, reason }))) throw oversightError('APPEAL_DECIDED');
      tx.record(oversightEntry(uphold ? 'oversight-appeal.uphold' : 'oversight-appeal.reject', 'appeal', appeal.id, tenantOf(v), { voidId: v.id, seconds: uphold ? v.seconds : 0, restorations }, reason));
      return { ...appeal, status: uphold ? 'upheld' : 'rejected', decision: { by: user.id, at, reason } };
    });
  }

  /** One file of an appeal, checked against its recorded hash as it is read. */
  async evidenceFile(user: AuthUser, appealId: string, sha256: string) {
    const appeal = await this.decisions.findAppeal(tenantScopeOf(user), appealId);
    const file = appeal?.evidence.find((e) => e.sha256 === sha256);
    if (!appeal || !file) throw oversightError('APPEAL_NOT_FOUND');
    return { body: await this.evidence.open({ key: file.key, sha256: file.sha256, size: file.size }), contentType: file.contentType, size: file.size, name: file.name };
  }
}
