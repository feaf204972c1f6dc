import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { ExamResultRepository, JudgeTrainees, RuleSetService, VerdictReason, VerdictRepository } from '@app/compliance';
import { auditActorOf, AuthUser, systemScope, tenantScopeOf } from '@app/identity';
import { ClassRepository, OfflineClass, RosterRepository } from '@app/offline';
import { Clock, ClockToken } from '@app/platform';
import type { Candidate, CandidateResult, ExamSitting } from '../exam.entity';
import { examError } from '../exams.errors';
import { SittingRepository } from '../persistence/sitting.repository';
import {
  candidateDecision,
  CandidateRefusal,
  examBlockers,
  ExamAction,
  invigilatorProblems,
  mayActOnExam,
  passes,
  ResultRow,
  resultProblems,
  SittingKind,
  sittingSpanProblem,
  standingOf,
} from '../rules/exam-rules';

export const SITTING_TARGET = 'exam-sitting';

export interface SittingInput {
  readonly kind: SittingKind;
  readonly paperCode: string;
  readonly paperTitle: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly location: string;
}

export interface ExcludedCandidate {
  readonly traineeId: string;
  readonly name: string;
  readonly refusal: CandidateRefusal;
  readonly message: string;
}

export interface Scheduled {
  readonly sitting: ExamSitting;
  /** Roster members who do not sit this one, each with why. */
  readonly excluded: readonly ExcludedCandidate[];
}

const tenantOf = (s: { institutionId: string; regionCode: string }) => ({ institutionId: s.institutionId, regionCode: s.regionCode });
const invalid = (field: string, reason: string) => examError('SITTING_INVALID', { fields: [{ field, reasons: [reason] }] });
const NO_VERDICT: VerdictReason = { code: 'HOURS_SHORT', severity: 'unmet', message: '尚无合规判定，无法确认学时' };

/**
 * Closed-book paper exams of a class: scheduled by whoever the program's rule set names as the
 * organiser, sat on paper, and recorded here with the invigilators. Each change is one audit commit;
 * the results feed the verdicts (compliance_exam_results) in the same commit.
 */
@Injectable()
export class SittingService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly sittings: SittingRepository,
    private readonly classes: ClassRepository,
    private readonly roster: RosterRepository,
    private readonly ruleSets: RuleSetService,
    private readonly judge: JudgeTrainees,
    private readonly verdicts: VerdictRepository,
    private readonly results: ExamResultRepository,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  /** A first sitting or a retake for the class: the roster members whose hours are met and who have an attempt left. */
  async schedule(user: AuthUser, classId: string, input: SittingInput): Promise<Scheduled> {
    const cls = await this.classOf(user, classId);
    const ruleSet = await this.ruleSets.current(cls.programId);
    const rules = ruleSet.body.exam;
    this.allow(rules.organiser, user, 'organise');
    if (!rules.required) throw examError('EXAM_NOT_REQUIRED');
    const span = sittingSpanProblem(input.startsAt, input.endsAt);
    if (span) throw invalid('endsAt', span);
    for (const f of ['paperCode', 'paperTitle', 'location'] as const) if (input[f].trim() === '') throw invalid(f, '不能为空');

    const roster = await this.roster.listByClass(cls.id);
    const ids = roster.map((r) => r.traineeId);
    // Verdicts judged now, so eligibility reads today's hours rather than the last sweep's.
    await this.judge.execute(ids);
    const scope = systemScope('考试资格审查 (exam eligibility)');
    const [verdicts, results, scheduled] = await Promise.all([this.verdicts.findByTrainees(scope, ids), this.results.listForTrainees(scope, ids), this.sittings.scheduledAmong(ids)]);
    const verdictOf = new Map(verdicts.map((v) => [v.traineeId, v]));
    const scoresOf = new Map<string, number[]>();
    for (const r of results) if (r.programId === cls.programId) scoresOf.set(r.traineeId, [...(scoresOf.get(r.traineeId) ?? []), r.score]);

    const candidates: Candidate[] = [];
    const excluded: ExcludedCandidate[] = [];
    for (const r of roster) {
      const verdict = verdictOf.get(r.traineeId);
      const blockers = verdict ? examBlockers(verdict.verdict.reasons) : [NO_VERDICT];
      const d = candidateDecision(input.kind, standingOf(scoresOf.get(r.traineeId) ?? [], rules), blockers, scheduled.has(r.traineeId), rules);
      if (d.admit) candidates.push({ traineeId: r.traineeId, name: r.name, regionCode: r.regionCode, attempt: d.attempt! });
      else excluded.push({ traineeId: r.traineeId, name: r.name, refusal: d.refusal!, message: d.message! });
    }
    if (candidates.length === 0) throw examError('NO_CANDIDATES', { excluded });

    const sitting = await this.trail.commit(auditActorOf(user), async (tx) => {
      const s = await this.sittings.create({
        programId: cls.programId,
        classId: cls.id,
        institutionId: cls.institutionId,
        regionCode: cls.regionCode,
        organiser: rules.organiser,
        ruleSetVersion: ruleSet.version,
        passMark: rules.passMark,
        kind: input.kind,
        paperCode: input.paperCode.trim(),
        paperTitle: input.paperTitle.trim(),
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        location: input.location.trim(),
        candidates,
        createdBy: user.id,
      });
      tx.record({
        action: 'exam-sitting.schedule',
        target: { type: SITTING_TARGET, id: s.id },
        tenant: tenantOf(s),
        after: { classId: s.classId, kind: s.kind, organiser: s.organiser, ruleSetVersion: s.ruleSetVersion, paperCode: s.paperCode, startsAt: s.startsAt, endsAt: s.endsAt, candidates: candidates.map((c) => c.traineeId), excluded: excluded.map((e) => ({ traineeId: e.traineeId, refusal: e.refusal })) },
      });
      return s;
    });
    return { sitting, excluded };
  }

  /**
   * The results of a sat paper, once, with who invigilated: one row per candidate (a score or 缺考).
   * Each score becomes an exam attempt the verdict reads; absent candidates keep their attempt.
   */
  async record(user: AuthUser, sittingId: string, input: { invigilators: readonly string[]; results: readonly ResultRow[] }): Promise<ExamSitting> {
    const sitting = await this.sittingOf(user, sittingId, 'organise');
    if (sitting.status === 'recorded') throw examError('RESULTS_ALREADY_RECORDED');
    const now = new Date(this.clock.now());
    if (now < sitting.startsAt) throw examError('SITTING_NOT_STARTED', { startsAt: sitting.startsAt });
    const invigilation = invigilatorProblems(input.invigilators);
    if (invigilation) throw examError('RESULTS_INVALID', { fields: [{ field: 'invigilators', reasons: [invigilation] }] });
    const problems = resultProblems(sitting.candidates.map((c) => c.traineeId), input.results);
    if (problems.length) throw examError('RESULTS_INVALID', { problems });
    const rowOf = new Map(input.results.map((r) => [r.traineeId, r]));
    const results: CandidateResult[] = sitting.candidates.map((c) => {
      const row = rowOf.get(c.traineeId)!;
      return row.absent === true ? { traineeId: c.traineeId, absent: true, passed: false } : { traineeId: c.traineeId, score: row.score!, absent: false, passed: passes(row.score!, sitting.passMark) };
    });
    const invigilators = input.invigilators.map((n) => n.trim());
    const ids = sitting.candidates.map((c) => c.traineeId);
    const recorded = await this.trail.commit(auditActorOf(user), async (tx) => {
      const done = await this.sittings.record(sitting.id, { invigilators, results, recordedBy: user.id, recordedAt: now });
      if (!done) throw examError('RESULTS_ALREADY_RECORDED');
      for (const c of sitting.candidates) {
        const r = results.find((x) => x.traineeId === c.traineeId)!;
        if (r.absent) continue;
        await this.results.insert({ traineeId: c.traineeId, programId: sitting.programId, institutionId: sitting.institutionId, regionCode: c.regionCode, sessionId: sitting.id, score: r.score!, mode: 'paper', at: sitting.startsAt, by: user.id });
      }
      await this.verdicts.markDirty(ids, now);
      tx.record({
        action: 'exam-sitting.results.record',
        target: { type: SITTING_TARGET, id: sitting.id },
        tenant: tenantOf(sitting),
        before: { status: 'scheduled' },
        after: { status: 'recorded', invigilators, passMark: sitting.passMark, results: results.map((r) => ({ traineeId: r.traineeId, score: r.score, absent: r.absent, passed: r.passed })) },
      });
      return done;
    });
    // The verdicts use the result at once; the sweep would catch up within seconds anyway.
    await this.judge.execute(ids);
    return recorded;
  }

  /** The classes in the caller's scope whose exam the caller may see (an examiner's: 培考分离 and joint programs of the region). */
  async classesFor(user: AuthUser): Promise<Array<{ cls: OfflineClass; organiser: ExamSitting['organiser'] }>> {
    const organisers = new Map((await this.ruleSets.currentAll()).map((r) => [r.programId, r.body.exam.organiser]));
    const out: Array<{ cls: OfflineClass; organiser: ExamSitting['organiser'] }> = [];
    for (const cls of await this.classes.list(tenantScopeOf(user), {})) {
      const organiser = organisers.get(cls.programId);
      if (organiser && mayActOnExam(organiser, user.role, 'read')) out.push({ cls, organiser });
    }
    return out;
  }

  async get(user: AuthUser, sittingId: string): Promise<ExamSitting> {
    return this.sittingOf(user, sittingId, 'read');
  }

  async listForClass(user: AuthUser, classId: string): Promise<ExamSitting[]> {
    const cls = await this.classOf(user, classId);
    this.allow((await this.ruleSets.current(cls.programId)).body.exam.organiser, user, 'read');
    return this.sittings.listByClass(tenantScopeOf(user), cls.id);
  }

  private async classOf(user: AuthUser, classId: string): Promise<OfflineClass> {
    const cls = await this.classes.findById(tenantScopeOf(user), classId);
    if (!cls) throw examError('CLASS_NOT_FOUND');
    return cls;
  }

  private async sittingOf(user: AuthUser, id: string, action: ExamAction): Promise<ExamSitting> {
    const sitting = await this.sittings.findById(tenantScopeOf(user), id);
    if (!sitting) throw examError('SITTING_NOT_FOUND');
    // The organiser the sitting was scheduled under: a later rule-set version does not hand it to someone else.
    this.allow(sitting.organiser, user, action);
    return sitting;
  }

  private allow(organiser: ExamSitting['organiser'], user: AuthUser, action: ExamAction): void {
    if (!mayActOnExam(organiser, user.role, action)) throw examError('EXAM_NOT_ORGANISER', { organiser, action });
  }
}
