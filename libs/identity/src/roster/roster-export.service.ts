import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@app/audit';
import { Program, ProgramRepository } from '@app/catalog';
import { AppError } from '@app/platform';
import { auditActorOf } from '../auth/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { callerTenant } from '../audit/identity-audit';
import { tenantScopeOf } from '../auth/tenant-scope';
import type { Organisation } from '../organisations/organisation.entity';
import { OrganisationRepository } from '../organisations/organisation.repository';
import type { Trainee } from '../trainees/trainee.entity';
import { TraineeRepository } from '../trainees/trainee.repository';
import { buildRosterTemplate, RosterSheetRow } from './roster-template';

/** Trainees read per round trip while the sheet is filled. */
const PAGE = 1000;

/** One trainee as a roster row: the columns the importer reads, so the export round-trips. */
export function rosterRowOf(t: Trainee, program: Pick<Program, 'categories'>, enterprise: Organisation | undefined): RosterSheetRow {
  return {
    name: t.name,
    idNumber: t.idNumber,
    phone: t.phone,
    enterpriseUscc: enterprise?.uscc,
    enterpriseName: enterprise?.name,
    category: program.categories.find((c) => c.code === t.category)?.name ?? t.category,
    post: t.post,
  };
}

/**
 * The institution's roster of one program as the import template filled in. It carries full ID
 * and phone numbers — it is the institution's own register, and a file edited and imported again
 * must find the same people — so only the roles that see them unmasked may export.
 */
@Injectable()
export class RosterExportService {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly organisations: OrganisationRepository,
    private readonly programs: ProgramRepository,
    private readonly trail: AuditTrail,
  ) {}

  async export(caller: AuthUser, programId: string): Promise<{ filename: string; content: Buffer; rows: number }> {
    const scope = tenantScopeOf(caller);
    if (scope.kind !== 'institution' && scope.kind !== 'all') throw AppError.of('FORBIDDEN');
    const program = await this.programs.findById(programId);
    if (!program) throw AppError.of('VALIDATION_FAILED', { fields: [{ field: 'programId', reasons: ['培训项目不存在'] }] });

    const enterprises = new Map((await this.organisations.listVisible(scope, 'enterprise')).map((e) => [e.id, e]));
    const rows: RosterSheetRow[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.trainees.list(scope, { programId }, { offset, limit: PAGE });
      for (const t of page.items) {
        if (!enterprises.has(t.enterpriseId)) {
          const e = await this.organisations.findById(t.enterpriseId);
          if (e) enterprises.set(e.id, e);
        }
        rows.push(rosterRowOf(t, program, enterprises.get(t.enterpriseId)));
      }
      if (page.items.length < PAGE) break;
    }
    const day = new Date().toISOString().slice(0, 10);
    const content = await buildRosterTemplate(program, rows);
    // Full ID and phone numbers leave the platform in this file: recorded before it is handed over.
    // The institution's own roster is its tenant; an administrator's export spans institutions (platform-wide).
    await this.trail.recordRead(auditActorOf(caller), {
      action: 'roster.export',
      target: { type: 'program', id: program.id },
      tenant: scope.kind === 'institution' ? callerTenant(caller) : {},
      after: { count: rows.length, programCode: program.code },
    });
    return { filename: `学员名单-${program.code}-${day}.xlsx`, content, rows: rows.length };
  }
}
