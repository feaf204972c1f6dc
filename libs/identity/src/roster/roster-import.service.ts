import { Injectable } from '@nestjs/common';
import { Program, ProgramRepository } from '@app/catalog';
import { AppError } from '@app/platform';
import type { AuthUser } from '../auth/auth-user';
import { TenantScope, tenantScopeOf } from '../auth/tenant-scope';
import type { Organisation } from '../organisations/organisation.entity';
import { OrganisationRepository } from '../organisations/organisation.repository';
import type { UpsertOutcome } from '../trainees/trainee.repository';
import { TraineeRepository } from '../trainees/trainee.repository';
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

/** Writes in flight at once: enough to hide database round trips, small enough to stay polite to other requests. */
const WRITE_CONCURRENCY = 32;

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
    await forEachLimited(good, WRITE_CONCURRENCY, async (person) => {
      const outcome = await this.write(prepare, scope, programId, person, opts.institutionId, now);
      if (typeof outcome === 'string') counts[outcome]++;
      else errors.push(outcome);
    });
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

  /** TraineeService.prepare stays the authority on what a trainee is (scope, institution, enterprise region). */
  private async write(
    traineeService: TraineeService,
    scope: TenantScope,
    programId: string,
    p: RosterPerson,
    institutionId: string | undefined,
    now: Date,
  ): Promise<UpsertOutcome | RosterRowError> {
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
    try {
      return (await this.trainees.upsertByIdNumber(scope, prepared.trainee)).outcome;
    } catch (e) {
      if (e instanceof AppError && e.code === 'TRAINEE_DUPLICATE') {
        return {
          row: p.row,
          name: p.name,
          problems: [{ field: 'idNumber', column: COLUMN_BY_FIELD.idNumber.header, reason: '该学员已由其他培训机构在本项目中登记' }],
        };
      }
      throw e;
    }
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
    return new TraineeService(this.trainees, orgs, programs);
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

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}
