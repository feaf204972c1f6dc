import { Injectable } from '@nestjs/common';
import { Audience, Course, requirementFor } from '@app/catalog';
import { AuthUser, OrganisationRepository, Trainee, TraineeRepository, tenantScopeOf } from '@app/identity';

export interface Enrolment extends Audience {
  programId: string;
}

/**
 * Where a trainee stands: one audience (industry of the enterprise × personnel category) per
 * active enrolment. Read fresh on every check, so a withdrawn trainee loses access at once.
 */
@Injectable()
export class TraineeAudience {
  constructor(
    private readonly trainees: TraineeRepository,
    private readonly organisations: OrganisationRepository,
  ) {}

  async enrolments(user: AuthUser): Promise<Enrolment[]> {
    return (await this.traineeEnrolments(user)).map((e) => e.enrolment);
  }

  /** The trainee records behind the enrolments: what study sessions and the hour ledger are written for. */
  async traineeEnrolments(user: AuthUser): Promise<{ trainee: Trainee; enrolment: Enrolment }[]> {
    if (user.role !== 'trainee') return [];
    const { items } = await this.trainees.list(tenantScopeOf(user), { status: 'active' }, { offset: 0, limit: 100 });
    const out: { trainee: Trainee; enrolment: Enrolment }[] = [];
    for (const t of items) {
      const enterprise = await this.organisations.findById(t.enterpriseId);
      if (enterprise?.industry) out.push({ trainee: t, enrolment: { programId: t.programId, industry: enterprise.industry, category: t.category } });
    }
    return out;
  }

  /** Administrators preview everything; a trainee only courses of one of their audiences; nobody else. */
  async mayWatch(user: AuthUser, course: Pick<Course, 'programId' | 'audiences'>): Promise<boolean> {
    if (user.role === 'admin') return true;
    if (user.role !== 'trainee') return false;
    return (await this.enrolments(user)).some((e) => e.programId === course.programId && requirementFor(course, e) !== undefined);
  }
}
