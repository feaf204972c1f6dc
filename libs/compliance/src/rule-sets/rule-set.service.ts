import { Injectable } from '@nestjs/common';
import { AuditActor, AuditTrail, contentHash } from '@app/audit';
import { catalogTenantOf, ProgramRepository } from '@app/catalog';
import { isDuplicateKey } from '@app/platform';
import { systemScope } from '@app/identity';
import type { RuleSetBody, RuleSetVersion } from '../rules/rule-set';
import { pickRuleSetBody, ruleSetProblems } from '../rules/rule-set-validation';
import { judge, VerdictStatus } from '../rules/verdict';
import { RuleSetRepository } from '../persistence/rule-set.repository';
import { VerdictRepository } from '../persistence/verdict.repository';
import { complianceError } from '../compliance.errors';

export const RULE_SET_TARGET = 'rule-set';

export interface RuleSetPreview {
  readonly programId: string;
  readonly fromVersion: number;
  /** Trainees with a stored verdict, judged again from their stored inputs with the draft. */
  readonly judged: number;
  readonly flips: number;
  /** `from→to` → count, e.g. `complete→in_progress`. */
  readonly byTransition: Record<string, number>;
  /** A few of the trainees that would flip, for the editor to show. */
  readonly examples: readonly { traineeId: string; from: VerdictStatus; to: VerdictStatus; reasons: string[] }[];
  readonly problems: readonly { field: string; message: string }[];
}

/** Rule sets: the versions, the administrator's editor (validated, new version per save) and its preview. */
@Injectable()
export class RuleSetService {
  constructor(
    private readonly repo: RuleSetRepository,
    private readonly programs: ProgramRepository,
    private readonly verdicts: VerdictRepository,
    private readonly trail: AuditTrail,
  ) {}

  async versions(programId: string): Promise<RuleSetVersion[]> {
    await this.program(programId);
    return this.repo.listByProgram(programId);
  }

  async current(programId: string): Promise<RuleSetVersion> {
    const v = await this.repo.current(programId);
    if (!v) throw complianceError('RULE_SET_NOT_FOUND', { programId });
    return v;
  }

  async version(programId: string, version: number): Promise<RuleSetVersion> {
    await this.program(programId);
    const v = await this.repo.findVersion(programId, version);
    if (!v) throw complianceError('RULE_SET_VERSION_NOT_FOUND', { programId, version });
    return v;
  }

  currentAll(): Promise<RuleSetVersion[]> {
    return this.repo.currentAll();
  }

  /**
   * Saves `body` as the next version, on top of `baseVersion` (what the editor loaded: a save
   * over someone else's newer version is refused). Verdicts are re-judged by the sweep, which
   * finds the ones judged by an older version.
   */
  async saveVersion(actor: AuditActor, programId: string, baseVersion: number, draft: RuleSetBody, note: string): Promise<RuleSetVersion> {
    const program = await this.program(programId);
    if (typeof note !== 'string' || note.trim() === '') throw complianceError('NOTE_REQUIRED');
    const problems = ruleSetProblems(draft);
    if (problems.length) throw complianceError('RULE_SET_INVALID', { problems });
    const body = pickRuleSetBody(draft);
    const current = await this.current(programId);
    if (current.version !== baseVersion) throw complianceError('RULE_SET_STALE', { current: current.version, base: baseVersion });
    if (contentHash(current.body) === contentHash(body)) throw complianceError('RULE_SET_UNCHANGED');
    try {
      return await this.trail.commit(actor, async (tx) => {
        const saved = await this.repo.insert({
          programId,
          programCode: program.code,
          version: current.version + 1,
          body,
          note: note.trim(),
          createdBy: actor.kind === 'user' ? actor.id : 'system',
        });
        tx.record({
          action: 'rule-set.version.create',
          target: { type: RULE_SET_TARGET, id: saved.id },
          tenant: catalogTenantOf(program),
          before: { version: current.version, digest: contentHash(current.body) },
          after: { version: saved.version, digest: contentHash(body), programCode: program.code },
          reason: note.trim(),
        });
        return saved;
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw complianceError('RULE_SET_STALE', { base: baseVersion });
      throw e;
    }
  }

  /**
   * What saving `body` would do: every stored verdict of the program judged again from the inputs
   * it stores, with the draft instead of its version. Pure arithmetic over stored data, no writes.
   */
  async preview(programId: string, draft: RuleSetBody, now = new Date()): Promise<RuleSetPreview> {
    await this.program(programId);
    const current = await this.current(programId);
    const problems = ruleSetProblems(draft);
    const base = { programId, fromVersion: current.version, problems };
    if (problems.length) return { ...base, judged: 0, flips: 0, byTransition: {}, examples: [] };
    const body = pickRuleSetBody(draft);
    const byTransition: Record<string, number> = {};
    const examples: RuleSetPreview['examples'][number][] = [];
    let judged = 0;
    let flips = 0;
    let offset = 0;
    for (;;) {
      const page = await this.verdicts.list(systemScope('规则集预览 (rule-set preview)'), { programId, limit: 5000, offset });
      for (const v of page.items) {
        judged++;
        const { ruleSetVersion: _v, exams, now: _n, ...rest } = v.inputs;
        void _v;
        void _n;
        const next = judge({ ...rest, ruleSet: { version: current.version + 1, body }, exams: exams.map((e) => ({ score: e.score, at: new Date(e.at) })), now });
        if (next.status === v.status) continue;
        flips++;
        const key = `${v.status}→${next.status}`;
        byTransition[key] = (byTransition[key] ?? 0) + 1;
        if (examples.length < 20) examples.push({ traineeId: v.traineeId, from: v.status, to: next.status, reasons: next.reasons.map((r) => r.code) });
      }
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) break;
    }
    return { ...base, judged, flips, byTransition, examples };
  }

  private async program(programId: string) {
    const program = await this.programs.findById(programId);
    if (!program) throw complianceError('PROGRAM_NOT_FOUND', { programId });
    return program;
  }
}
