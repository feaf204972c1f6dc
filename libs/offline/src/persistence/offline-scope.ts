import type { ScopeColumns } from '@app/identity';

/** Classes, instructors, sessions, kiosks: the institution's own, or its region's for auditors. Trainees read them through their roster rows. */
export const INSTITUTION_COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', ids: 'objectId' };

/** Rows about one trainee (roster, attendance): also readable by the trainee themselves. */
export const TRAINEE_ROW_COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', user: 'userId', ids: 'objectId' };
