import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { Program, ProgramRepository } from '@app/catalog';
import { sha256Hex } from '@app/evidence';
import { AppError } from '@app/platform';
import { auditActorOf, traineeTenant } from '../auth/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { commitIfChanged, traineeSummary, traineeTarget } from '../audit/identity-audit';
import { TenantScope, tenantScopeOf } from '../auth/tenant-scope';
import type { Organisation } from '../organisations/organisation.entity';
import { OrganisationRepository } from '../organisations/organisation.repository';
import type { NewTrainee, Trainee } from '../trainees/trainee.entity';
import { changedFields, TraineeRepository, UpsertOutcome } from '../trainees/trainee.repository';
import { TraineeService } from '../trainees/trainee.service';
import { COLUMN_BY_FIELD, RosterField } from './roster-columns';
import { readRoster } from './roster-reader';
import { EnterpriseDirectory, RosterPerson, RosterProblem, RosterRowValidator } from './roster-row';
import { buildRosterTemplate } from './roster-template';

export interface RosterRowError {
  row: number;
  /** As typed in the file, so the user recognises the row; absent when the cell was empty. */
  name?: string;
  problems: RosterProblem[];
}

export interface RosterImportReport {
  programId: string;
  /** Non-blank data rows in the file. */
  totalRows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows not imported; each one is listed in `errors`. */
  rejected: number;
  /** Every rejected row, in sheet order. */
  errors: RosterRowError[];
  durationMs: number;
}

export interface RosterImportOptions {
  /** Administrators import on behalf of an institution; institution staff always import for their own. */
  institutionId?: string;
  now?: Date;
}

/** Rows checked against the database at once (reads): enough to hide round trips, small enough to stay polite to other requests. */
const CHECK_CONCURRENCY = 32;
/**
 * Rows written per audit commit: each changed row gets its own record, and a chunk commits as one
 * transaction — small enough to keep a transaction short (and a retry cheap), large enough that a
 * 10,000-row file is not 10,000 transactions. Chunks commit one after another: they all go to the
 * institution's one audit chain, where concurrent commits would only conflict and retry.
 */
const COMMIT_CHUNK = 100;

const DUPLICATE_ELSEWHERE = '该学员已由其他培训机构在本项目中登记';

interface PreparedRow {
  person: RosterPerson;
  trainee: NewTrainee;
}

/** Where TraineeService.prepare's field names land in the sheet. */
const FIELD_TO_COLUMN: Record<string, RosterField> = {
  name: 'name',
  idNumber: 'idNumber',
  phone: 'phone',
  enterpriseId: 'enterpriseUscc',
  category: 'category',
  post: 'post',
};

/**
 * Roster import: the whole file is read and checked first (a file that turns out malformed
 * half-way writes nothing), then good rows are upserted by ID number, so importing the same
 * file again changes nothing and says so.
 */
@Injectable()
export class RosterImportService {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly organisations: OrganisationRepository,
    private readonly programs: ProgramRepository,
    private readonly trail: AuditTrail,
  ) {}

  async template(programId: string): Promise<{ filename: string; content: Buffer }> {
    const program = await this.program(programId);
    return { filename: `学员名单模板-${program.code}.xlsx`, content: await buildRosterTemplate(program) };
  }

  async import(caller: AuthUser, programId: string, file: Buffer, opts: RosterImportOptions = {}): Promise<RosterImportReport> {
    const started = performance.now();
    const scope = tenantScopeOf(caller);
    if (scope.kind !== 'institution' && scope.kind !== 'all') throw AppError.of('FORBIDDEN');
    const program = await this.program(programId);
    if (scope.kind === 'all') await this.requireInstitution(opts.institutionId);
    const now = opts.now ?? new Date();
    const enterprises = await this.organisations.listVisible(scope, 'enterprise');
    const validator = new RosterRowValidator(program.categories, new EnterpriseDirectory(enterprises), now);
    const prepare = this.snapshotPreparer(program, enterprises);

    const errors: RosterRowError[] = [];
    const good: RosterPerson[] = [];
    let totalRows = 0;
    for await (const input of readRoster(file)) {
      totalRows++;
      const r = validator.check(input);
      if (r.ok) good.push(r.person);
      else errors.push({ row: r.row, name: r.name, problems: r.problems });
    }

    const counts: Record<UpsertOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
    // Every row is checked (prepare + a read of the stored record) before anything is written; rows
    // that would not change are counted here and never enter a transaction.
    const toWrite: PreparedRow[] = [];
    await forEachLimited(good, CHECK_CONCURRENCY, async (person) => {
      const checked = await this.check(prepare, scope, programId, person, opts.institutionId, now);
      if ('problems' in checked) errors.push(checked);
      else if (checked.outcome === 'unchanged') counts.unchanged++;
      else toWrite.push(checked.row);
    });
    toWrite.sort((a, b) => a.person.row - b.person.row);
    const fileSha256 = sha256Hex(file);
    for (let i = 0; i < toWrite.length; i += COMMIT_CHUNK) {
      const chunk = await this.writeChunkRetrying(caller, scope, toWrite.slice(i, i + COMMIT_CHUNK), fileSha256);
      for (const outcome of chunk) {
        if (typeof outcome === 'string') counts[outcome]++;
        else errors.push(outcome);
      }
    }
    errors.sort((a, b) => a.row - b.row);
    return {
      programId,
      totalRows,
      ...counts,
      rejected: errors.length,
      errors,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** TraineeService.prepare stays the authority on what a trainee is (scope, institution, enterprise region); then what writing it would do. */
  private async check(
    traineeService: TraineeService,
    scope: TenantScope,
    programId: string,
    p: RosterPerson,
    institutionId: string | undefined,
    now: Date,
  ): Promise<{ outcome: UpsertOutcome; row: PreparedRow } | RosterRowError> {
    const prepared = await traineeService.prepare(
      scope,
      { programId, name: p.name, idNumber: p.idNumber, phone: p.phone, enterpriseId: p.enterpriseId, category: p.category, post: p.post, institutionId },
      now,
    );
    if (!prepared.ok) {
      const problems = prepared.fields.flatMap((f) => {
        // Program and institution were checked before the file was read, so every field left maps to a column.
        const field = FIELD_TO_COLUMN[f.field] ?? 'idNumber';
        return f.reasons.map((reason) => ({ field, column: COLUMN_BY_FIELD[field].header, reason }));
      });
      return { row: p.row, name: p.name, problems };
    }
    const outcome = await this.trainees.upsertOutcome(scope, prepared.trainee);
    if (outcome === 'conflict') return duplicateElsewhere(p);
    return { outcome, row: { person: p, trainee: prepared.trainee } };
  }

  /**
   * A person inserted by a concurrent request between this chunk's read and its insert is a
   * duplicate key, which aborts the transaction: the chunk is committed again, and its read then
   * finds that person (another institution's → a row error; this one's → updated or unchanged).
   */
  private async writeChunkRetrying(caller: AuthUser, scope: TenantScope, rows: readonly PreparedRow[], fileSha256: string): Promise<(UpsertOutcome | RosterRowError)[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeChunk(caller, scope, rows, fileSha256);
      } catch (e) {
        if (attempt < 3 && e instanceof AppError && e.code === 'TRAINEE_DUPLICATE') continue;
        throw e;
      }
    }
  }

  /**
   * One commit for a chunk of rows: each created or updated trainee with its own `roster.import`
   * record (the row, what changed, before and after); a row that turns out unchanged by now writes
   * nothing, and a chunk with no change at all commits nothing. A retry re-runs the whole chunk.
   */
  private async writeChunk(caller: AuthUser, scope: TenantScope, rows: readonly PreparedRow[], fileSha256: string): Promise<(UpsertOutcome | RosterRowError)[]> {
    return commitIfChanged(this.trail, auditActorOf(caller), async (tx) => {
      const outcomes: (UpsertOutcome | RosterRowError)[] = [];
      const written = await this.trainees.upsertManyByIdNumber(scope, rows.map((r) => r.trainee));
      for (const [i, w] of written.entries()) {
        const person = rows[i].person;
        // Enrolled by another institution since the check: reported on the row, nothing written for it.
        if (w === 'conflict') {
          outcomes.push(duplicateElsewhere(person));
          continue;
        }
        outcomes.push(w.outcome);
        if (w.outcome === 'unchanged') continue;
        const change = rowChange(w.previous, w.trainee);
        tx.record({
          action: 'roster.import',
          target: traineeTarget(w.trainee.id),
          tenant: traineeTenant(w.trainee),
          before: change.before,
          after: { outcome: w.outcome, row: person.row, fileSha256, ...change.after },
        });
      }
      return outcomes;
    });
  }

  /**
   * TraineeService over this import's snapshot: prepare() looks up the program list and the
   * enterprise per call, which for 10,000 rows would be 20,000 reads of data that cannot usefully
   * change during one import. Every other repository method still goes to the database.
   */
  private snapshotPreparer(program: Program, enterprises: readonly Organisation[]): TraineeService {
    const byId = new Map(enterprises.map((e) => [e.id, e]));
    const organisations = this.organisations;
    const programs: ProgramRepository = Object.create(this.programs);
    programs.list = async () => [program];
    const orgs: OrganisationRepository = Object.create(organisations);
    orgs.findById = async (id: string) => byId.get(id) ?? organisations.findById(id);
    return new TraineeService(this.trainees, orgs, programs, this.trail);
  }

  /** Administrators import for a named institution; checked once rather than failing every row. */
  private async requireInstitution(institutionId: string | undefined): Promise<void> {
    const institution = institutionId ? await this.organisations.findById(institutionId) : undefined;
    if (institution?.kind !== 'institution') {
      throw AppError.of('VALIDATION_FAILED', { fields: [{ field: 'institutionId', reasons: ['管理员导入时须指定培训机构'] }] });
    }
  }

  private async program(programId: string): Promise<Program> {
    const program = await this.programs.findById(programId);
    if (!program) throw AppError.of('VALIDATION_FAILED', { fields: [{ field: 'programId', reasons: ['培训项目不存在'] }] });
    return program;
  }
}

function duplicateElsewhere(p: RosterPerson): RosterRowError {
  return { row: p.row, name: p.name, problems: [{ field: 'idNumber', column: COLUMN_BY_FIELD.idNumber.header, reason: DUPLICATE_ELSEWHERE }] };
}

/** A created row: the new record's fields; an updated one: the changed fields before and after. */
function rowChange(previous: Trainee | undefined, trainee: Trainee): { before?: object; after: object } {
  if (!previous) return { after: traineeSummary(trainee) };
  const changed = changedFields(previous, trainee);
  const pick = (t: Trainee) => Object.fromEntries(Object.entries(traineeSummary(t)).filter(([k]) => (changed as string[]).includes(k)).map(([k, v]) => [k, v ?? null]));
  return { before: pick(previous), after: { ...pick(trainee), changed } };
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}
