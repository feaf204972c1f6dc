import type { ScopeColumns } from '@app/identity';

/** Classes, instructors, sessions: the institution's own, or its region's for auditors. Trainees reach theirs through their trainee records (MyOffline). */
export const INSTITUTION_COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', ids: 'objectId' };
