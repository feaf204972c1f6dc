import { Inject, Injectable } from '@nestjs/common';
import { AuditActor, AuditTrail } from '@app/audit';
import { isCalendarDate, NothingChanged, Program, ProgramRepository, unlessUnchanged } from '@app/catalog';
import { auditActorOf, AuthUser, identityError, OrganisationRepository, TenantScope, tenantScopeOf, TraineeRepository } from '@app/identity';
import { AppError, Clock, ClockToken } from '@app/platform';
import { diff, institutionOf, offlineTenant, writeScopeOf } from '../offline-audit';
import type { OfflineClass, RosterEntry } from '../offline.entity';
import { offlineError } from '../offline.errors';
import { AttendanceRepository } from '../persistence/attendance.repository';
import { ClassPatch, ClassRepository } from '../persistence/class.repository';
import { RosterRepository } from '../persistence/roster.repository';
import { SessionRepository } from '../persistence/session.repository';
import { ClassStatus, CLASS_STATUS_NAMES, compositionProblem, mayMoveTo, sizeDecision } from '../rules/class-composition';
import { RosterGallery } from '../attendance/roster-gallery';
import { TraineeSchedules } from '../timetable/trainee-schedules';

/** Administrators name the institution; staff always act for their own. */
export type NewClassInput = Pick<OfflineClass, 'programId' | 'name' | 'category' | 'industry' | 'location' | 'startDate' | 'endDate'> & { institutionId?: string };

const field = (name: string, reason: string) => ({ fields: [{ field: name, reasons: [reason] }] });

/**
 * Classes (班次) and their rosters (学员名册). Every change is one audit commit; the composition
 * and size rules of the program are checked inside it, against what the commit itself reads.
 */
@Injectable()
export class ClassService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly classes: ClassRepository,
    private readonly roster: RosterRepository,
    private readonly sessions: SessionRepository,
    private readonly attendance: AttendanceRepository,
    private readonly programs: ProgramRepository,
    private readonly organisations: OrganisationRepository,
    private readonly trainees: TraineeRepository,
    private readonly gallery: RosterGallery,
    private readonly schedules: TraineeSchedules,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, input: NewClassInput, options: { demo?: boolean } = {}): Promise<OfflineClass> {
    const scope = writeScopeOf(user);
    return this.createIn(auditActorOf(user), scope, input, options);
  }

  /** For the demo seed, which acts as the platform for a named institution. */
  async createIn(actor: AuditActor, scope: TenantScope, input: NewClassInput, options: { demo?: boolean } = {}): Promise<OfflineClass> {
    const program = await this.program(input.programId);
    if (!program.categories.some((c) => c.code === input.category)) throw offlineError('CLASS_INVALID', field('category', `人员类别须为本项目的：${program.categories.map((c) => c.name).join('、')}`));
    if (!program.industries.includes(input.industry)) throw offlineError('CLASS_INVALID', field('industry', `行业须为本项目的：${program.industries.join('、')}`));
    checkDates(input.startDate, input.endDate);
    const institutionId = institutionOf(scope, input.institutionId);
    const institution = institutionId ? await this.organisations.findById(institutionId) : undefined;
    if (!institution || institution.kind !== 'institution') throw offlineError('CLASS_INVALID', field('institutionId', '请指定培训机构'));
    return this.trail.commit(actor, async (tx) => {
      const cls = await this.classes.create({
        programId: program.id,
        institutionId: institution.id,
        regionCode: institution.regionCode,
        name: input.name.trim(),
        category: input.category,
        industry: input.industry,
        location: input.location.trim(),
        startDate: input.startDate,
        endDate: input.endDate,
        demo: options.demo ?? false,
      });
      tx.record({ action: 'offline-class.create', target: { type: 'offline-class', id: cls.id }, tenant: offlineTenant(cls), after: classSummary(cls) });
      return cls;
    });
  }

  /** Name, location, dates, or one step forward in status. `offline-class.update` with what changed. */
  async update(user: AuthUser, id: string, patch: ClassPatch): Promise<OfflineClass> {
    const scope = writeScopeOf(user);
    return unlessUnchanged(() =>
      this.trail.commit(auditActorOf(user), async (tx) => {
        const cls = await this.classOf(scope, id);
        if (cls.status === 'finished') throw offlineError('CLASS_FINISHED');
        if (patch.status && patch.status !== cls.status && !mayMoveTo(cls.status, patch.status as ClassStatus)) {
          throw offlineError('CLASS_STATUS_INVALID', { from: cls.status, to: patch.status }, { message: `班次状态只能依次推进：${CLASS_STATUS_NAMES[cls.status]}之后为下一状态，不能改为“${CLASS_STATUS_NAMES[patch.status as ClassStatus]}”` });
        }
        checkDates(patch.startDate ?? cls.startDate, patch.endDate ?? cls.endDate);
        const trimmed = { ...patch, name: patch.name?.trim(), location: patch.location?.trim() };
        const { before, after, changed } = diff(cls, trimmed);
        if (changed.length === 0) throw new NothingChanged(cls);
        const updated = await this.classes.update(id, after);
        tx.record({ action: 'offline-class.update', target: { type: 'offline-class', id }, tenant: offlineTenant(cls), before, after });
        return updated;
      }),
    );
  }

  /**
   * One registered trainee onto the roster. Refused: another category or enterprise type (严禁
   * 大合堂), a trainee already in a class whose sessions overlap this one's, a strict cap. Over a
   * 原则上/一般 cap it needs a written justification and is then recorded as such for auditors.
   */
  addTrainee(user: AuthUser, classId: string, traineeId: string, justification?: string): Promise<RosterEntry> {
    return this.addTraineeAs(auditActorOf(user), writeScopeOf(user), classId, traineeId, justification);
  }

  async addTraineeAs(actor: AuditActor, scope: TenantScope, classId: string, traineeId: string, justification?: string): Promise<RosterEntry> {
    return this.trail.commit(actor, async (tx) => {
      const cls = await this.classOf(scope, classId);
      if (cls.status === 'finished') throw offlineError('CLASS_FINISHED');
      const trainee = await this.trainees.findById(scope, traineeId);
      if (!trainee) throw identityError('TRAINEE_NOT_FOUND');
      if (trainee.institutionId !== cls.institutionId || trainee.programId !== cls.programId || trainee.status !== 'active') throw offlineError('TRAINEE_NOT_ELIGIBLE');
      const program = await this.program(cls.programId);
      const enterprise = await this.organisations.findById(trainee.enterpriseId);
      const problem = compositionProblem(cls, { category: trainee.category, industry: enterprise?.industry }, program.categories);
      if (problem) throw offlineError('CLASS_COMPOSITION_MIXED', { rule: problem.rule, source: problem.source }, { message: problem.message });
      if (await this.roster.has(cls.id, trainee.id)) throw offlineError('TRAINEE_ALREADY_IN_CLASS');
      const clash = await this.schedules.firstClash(cls.id, [trainee.id], await this.sessions.listByClasses([cls.id]));
      if (clash) throw offlineError('TRAINEE_SCHEDULE_CLASH', clash);

      const size = cls.size + 1;
      const reason = justification?.trim() || cls.sizeOverride?.justification;
      const decision = sizeDecision(program.rules.classSizes, cls.category, size, reason);
      if (decision.kind === 'blocked') throw offlineError('CLASS_SIZE_EXCEEDED', { cap: decision.cap, source: decision.source });
      if (decision.kind === 'justification-required') throw offlineError('CLASS_SIZE_JUSTIFICATION_REQUIRED', { cap: decision.cap, size, source: decision.source });
      const override = decision.kind === 'flagged' ? { cap: decision.cap, size, justification: reason!, source: decision.source, at: new Date(this.clock.now()), by: actorId(actor) } : undefined;
      // Guarded by the size read above: a concurrent addition conflicts and the commit retries, so the cap is never passed unseen.
      if (!(await this.classes.resize(cls.id, cls.size, size, override))) throw AppError.of('CONFLICT');
      const entry = await this.roster.add({
        classId: cls.id,
        traineeId: trainee.id,
        institutionId: trainee.institutionId,
        regionCode: trainee.enterpriseRegionCode,
        name: trainee.name,
        category: trainee.category,
      });
      tx.record({ action: 'offline-roster.add', target: { type: 'offline-class', id: cls.id }, tenant: offlineTenant(cls), after: { traineeId: trainee.id, name: trainee.name, size } });
      if (override) {
        tx.record({
          action: 'offline-class.size-override',
          target: { type: 'offline-class', id: cls.id },
          tenant: offlineTenant(cls),
          before: { size: cls.size },
          after: { size, cap: override.cap, source: override.source, flagged: true },
          reason: override.justification,
        });
      }
      this.gallery.forget(cls.id);
      return entry;
    });
  }

  /**
   * Takes someone off the roster, with a reason (a class's composition is what auditors check for
   * 虚列参训人员). Not once they have attendance here: that record stays with the person on it.
   */
  async removeTrainee(user: AuthUser, classId: string, traineeId: string, reason: string): Promise<void> {
    const scope = writeScopeOf(user);
    if (!reason?.trim()) throw offlineError('REASON_REQUIRED');
    await this.trail.commit(auditActorOf(user), async (tx) => {
      const cls = await this.classOf(scope, classId);
      if (cls.status === 'finished') throw offlineError('CLASS_FINISHED');
      const entry = (await this.roster.listByClass(cls.id)).find((e) => e.traineeId === traineeId);
      if (!entry) throw offlineError('NOT_ON_ROSTER');
      if (await this.attendance.existsFor(cls.id, traineeId)) throw offlineError('ROSTER_HAS_ATTENDANCE');
      if (!(await this.classes.resize(cls.id, cls.size, cls.size - 1)) || !(await this.roster.remove(cls.id, traineeId))) throw AppError.of('CONFLICT');
      tx.record({ action: 'offline-roster.remove', target: { type: 'offline-class', id: cls.id }, tenant: offlineTenant(cls), before: { traineeId, name: entry.name, size: cls.size }, after: { size: cls.size - 1 }, reason: reason.trim() });
    });
    this.gallery.forget(classId);
  }

  async detail(user: AuthUser, id: string): Promise<{ cls: OfflineClass; roster: RosterEntry[] }> {
    const cls = await this.classOf(tenantScopeOf(user), id);
    return { cls, roster: await this.roster.listByClass(cls.id) };
  }

  list(user: AuthUser, q: { programId?: string; status?: string }): Promise<OfflineClass[]> {
    return this.classes.list(tenantScopeOf(user), q);
  }

  async classOf(scope: TenantScope, id: string): Promise<OfflineClass> {
    const cls = await this.classes.findById(scope, id);
    if (!cls) throw offlineError('CLASS_NOT_FOUND');
    return cls;
  }

  private async program(id: string): Promise<Program> {
    const program = await this.programs.findById(id);
    if (!program) throw offlineError('CLASS_INVALID', field('programId', '培训项目不存在'));
    return program;
  }
}

const actorId = (a: AuditActor) => (a.kind === 'user' ? a.id : 'system');

function checkDates(start: string, end: string): void {
  if (!isCalendarDate(start)) throw offlineError('CLASS_INVALID', field('startDate', '开班日期不是有效日期'));
  if (!isCalendarDate(end)) throw offlineError('CLASS_INVALID', field('endDate', '结业日期不是有效日期'));
  if (end < start) throw offlineError('CLASS_INVALID', field('endDate', '结业日期不能早于开班日期'));
}

const classSummary = (c: OfflineClass) => ({
  programId: c.programId,
  name: c.name,
  category: c.category,
  industry: c.industry,
  location: c.location,
  startDate: c.startDate,
  endDate: c.endDate,
  status: c.status,
  demo: c.demo || undefined,
});
