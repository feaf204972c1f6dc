import { Injectable } from '@nestjs/common';
import { AuditActor, AuditTrail } from '@app/audit';
import { catalogTenantOf, changedFields, NothingChanged, sameValue, unlessUnchanged } from '../audit/catalog-audit';
import { catalogError } from '../catalog.errors';
import type { ElectiveTarget, NewProgram, Program } from './program.entity';
import { ProgramRepository } from './program.repository';

export interface StudySettingsPatch {
  /** YYYY-MM-DD; null clears it. */
  completionDeadline?: string | null;
  electiveTargets?: ElectiveTarget[];
}

const STUDY_FIELDS = ['completionDeadline', 'electiveTargets'] as const;

/** What the documents say of a program (the seed refreshes these); study settings are the administrator's. */
const DOCUMENT_FIELDS = ['name', 'jurisdiction', 'industries', 'categories', 'minutesPerHour', 'startDate', 'endDate', 'rules', 'deadlines', 'targets', 'notes'] as const;

/** The program use cases, each one commit of the audit trail with its record. */
@Injectable()
export class ProgramService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly programs: ProgramRepository,
  ) {}

  /**
   * The online-study settings an administrator edits: completion deadline and elective minimum
   * hours per audience (industries and categories of the program, or `*`).
   * `program.study-settings.update` with before/after of what changed; nothing changed, nothing written.
   */
  async updateStudySettings(actor: AuditActor, id: string, patch: StudySettingsPatch): Promise<Program> {
    return unlessUnchanged(() =>
      this.trail.commit(actor, async (tx) => {
        const existing = await this.programs.findById(id);
        if (!existing) throw catalogError('PROGRAM_NOT_FOUND');
        for (const t of patch.electiveTargets ?? []) {
          const okIndustry = t.industry === '*' || existing.industries.includes(t.industry);
          const okCategory = t.category === '*' || existing.categories.some((c) => c.code === t.category);
          if (!okIndustry || !okCategory) throw catalogError('ELECTIVE_TARGET_INVALID', { target: t });
        }
        const { before, after, changed } = changedFields<(typeof STUDY_FIELDS)[number]>(existing, patch, STUDY_FIELDS);
        if (changed.length === 0) throw new NothingChanged(existing);
        const program = (await this.programs.updateStudySettings(id, patch))!;
        tx.record({ action: 'program.study-settings.update', target: { type: 'program', id }, tenant: catalogTenantOf(existing), before, after });
        return program;
      }),
    );
  }

  /**
   * A program as its documents describe it, by code (the seed): created when new (`program.create`),
   * its document fields refreshed when they differ (`program.update`, before/after of those fields),
   * otherwise left alone with no record. Study settings are only provided for a new program.
   */
  async upsertFromDocuments(actor: AuditActor, program: NewProgram): Promise<{ created: boolean; updated: boolean }> {
    return unlessUnchanged(() =>
      this.trail.commit(actor, async (tx) => {
        const existing = await this.programs.findByCode(program.code);
        if (existing && DOCUMENT_FIELDS.every((k) => sameValue(existing[k], program[k]))) throw new NothingChanged({ created: false, updated: false });
        await this.programs.upsertByCode(program);
        const stored = (await this.programs.findByCode(program.code))!;
        const target = { type: 'program', id: stored.id };
        if (!existing) {
          tx.record({
            action: 'program.create',
            target,
            tenant: catalogTenantOf(stored),
            after: { code: stored.code, name: stored.name, regionCode: stored.jurisdiction.regionCode, startDate: stored.startDate, endDate: stored.endDate },
          });
          return { created: true, updated: false };
        }
        const { before, after } = changedFields<(typeof DOCUMENT_FIELDS)[number]>(existing, program, DOCUMENT_FIELDS);
        tx.record({ action: 'program.update', target, tenant: catalogTenantOf(stored), before, after });
        return { created: false, updated: true };
      }),
    );
  }
}
