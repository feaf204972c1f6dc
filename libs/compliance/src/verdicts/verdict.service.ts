import { Injectable } from '@nestjs/common';
import { AuthUser, systemScope, TenantScope, tenantScopeOf, TraineeRepository } from '@app/identity';
import { AppError } from '@app/platform';
import type { VerdictStatus } from '../rules/verdict';
import { StoredVerdict, VerdictRepository } from '../persistence/verdict.repository';
import { complianceError } from '../compliance.errors';
import { JudgeTrainees } from './judge-trainees';

/** Who reads verdicts: trainees their own, institutions their trainees', departments their region's, administrators all. */
function readScope(user: AuthUser): TenantScope {
  return tenantScopeOf(user);
}

/** Reads of verdicts; a trainee never judged yet (no hours, no exam) is judged on first read. */
@Injectable()
export class VerdictService {
  constructor(
    private readonly verdicts: VerdictRepository,
    private readonly trainees: TraineeRepository,
    private readonly judge: JudgeTrainees,
  ) {}

  async forTrainee(user: AuthUser, traineeId: string): Promise<StoredVerdict> {
    if (user.role === 'trainee') throw AppError.of('FORBIDDEN');
    const scope = readScope(user);
    const trainee = await this.trainees.findById(scope, traineeId);
    if (!trainee) throw complianceError('TRAINEE_NOT_FOUND');
    return this.currentOf(scope, trainee.id);
  }

  /** The caller's own verdicts, one per program they are a trainee of. */
  async mine(user: AuthUser): Promise<StoredVerdict[]> {
    const scope = readScope(user);
    const mine = await this.trainees.list(scope, {}, { offset: 0, limit: 20 });
    const out: StoredVerdict[] = [];
    for (const t of mine.items) out.push(await this.currentOf(scope, t.id));
    return out;
  }

  async list(user: AuthUser, q: { programId?: string; status?: VerdictStatus; limit: number; offset: number }): Promise<{ items: StoredVerdict[]; total: number }> {
    if (user.role === 'trainee') throw AppError.of('FORBIDDEN');
    return this.verdicts.list(readScope(user), q);
  }

  /** Names of the trainees the caller may read, for lists of their verdicts. */
  async namesOf(user: AuthUser, traineeIds: readonly string[]): Promise<Map<string, string>> {
    return new Map((await this.trainees.findByIds(readScope(user), traineeIds)).map((t) => [t.id, t.name]));
  }

  private async currentOf(scope: TenantScope, traineeId: string): Promise<StoredVerdict> {
    const found = await this.verdicts.findByTrainee(scope, traineeId);
    if (found) return found;
    await this.judge.execute([traineeId]);
    const judged = await this.verdicts.findByTrainee(systemScope('首次判定后读取 (first verdict)'), traineeId);
    if (!judged) throw complianceError('VERDICT_NOT_FOUND');
    return judged;
  }
}
