import type { Role } from './role';

/** The caller as every handler, gateway and use case sees it. Built only from a verified access token. */
export interface AuthUser {
  readonly id: string;
  readonly role: Role;
  /** institution staff → their institution; auditor → their department or evaluator; trainee → their enterprise. */
  readonly organisationId?: string;
  /** Region of that organisation: an auditor's jurisdiction, an institution's location. */
  readonly regionCode?: string;
  /** The login session (refresh-token family) the access token belongs to; logout revokes it. */
  readonly sessionId: string;
}
