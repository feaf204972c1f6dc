export { IdentityModule } from './identity.module';
export { IdentityOptions, IdentityOptionsToken, IdentityOverrides } from './identity.options';
export { IdentityErrors, IdentityErrorCode, identityError } from './identity.errors';

export { OrganisationRepository } from './organisations/organisation.repository';
export { OrganisationService, CreateOrganisationCommand } from './organisations/organisation.service';
export {
  InstitutionQualification,
  InstitutionSystem,
  INSTITUTION_SYSTEMS,
  INSTITUTION_SYSTEM_NAMES,
  QualificationShortfall,
  qualificationShortfalls,
} from './organisations/institution-qualification';
export * from './organisations/organisation.entity';
export { usccProblem, usccCheckChar, USCC_PROBLEM_MESSAGES, UsccProblem } from './organisations/uscc';

export { Role, ROLES, ROLE_NAMES, isRole } from './auth/role';
export { AuthUser } from './auth/auth-user';
export { TenantScope, SystemScope, tenantScopeOf, systemScope, regionPrefixOf, regionInScope, checkedRegionPrefix } from './auth/tenant-scope';
export { scopeFilter, ScopeColumns } from './auth/scope-filter';
export { Roles, ROLES_KEY, CurrentUser, AllowPendingPasswordChange, ALLOW_PENDING_PASSWORD_KEY, SOCKET_USER_KEY } from './auth/decorators';
export { AuthService, TokenPair, ClientMeta, Authenticated } from './auth/auth.service';
export { AuthGuard } from './auth/auth.guard';
export { SocketAuthenticator, HandshakeLike, SocketLike } from './auth/socket-authenticator';
export { PASSWORD_MIN, PASSWORD_MAX } from './auth/password-policy';

export { User, USERNAME_PATTERN } from './users/user.entity';
export { UserRepository } from './users/user.repository';
export { UserService, StaffRole, CreateStaffCommand, CreatedStaff, STAFF_ORGANISATION_KINDS } from './users/user.service';

export { DemoLogin, readDemoLogins, demoLoginNotices } from './seed/demo-logins';
export { DEMO_ACCOUNTS } from './seed/demo-account.seeder';

export {
  parseResidentId,
  residentIdCheckChar,
  ResidentId,
  ResidentIdProblem,
  ResidentIdResult,
  RESIDENT_ID_PROBLEM_MESSAGES,
} from './trainees/resident-id';
export { encryptField, decryptField, blindIndex, keyIdOf, Keyring, FieldCryptoError } from './pii/field-crypto';
export { FieldCipher, PiiPurpose } from './pii/field-cipher';
export { maskIdNumber, maskPhone, maskName } from './pii/mask';
export { Trainee, NewTrainee, TraineeStatus, TRAINEE_STATUSES, revealsPersonalData } from './trainees/trainee.entity';
export { TraineeRepository, TraineeQuery, Page, UpsertOutcome } from './trainees/trainee.repository';
export { TraineeService, RegisterTraineeCommand, PreparedTrainee, FieldProblem } from './trainees/trainee.service';
export { mayWriteTraineesOf } from './trainees/trainee-scope';
export { DEMO_PROGRAM_CODE, DEMO_TRAINEE_ID_NUMBER } from './seed/demo-trainee.seeder';
export { FaceConsentService, FaceConsentStatus } from './consent/face-consent.service';
export { FaceConsent } from './consent/face-consent.repository';
export { FACE_CONSENT_TEXT, ConsentText } from './consent/face-consent.text';

export { RosterImportService, RosterImportReport, RosterRowError, RosterImportOptions } from './roster/roster-import.service';
export { ROSTER_COLUMNS, RosterColumn, RosterField, mapHeader, normaliseHeader } from './roster/roster-columns';
export { RosterProblem, RosterRowValidator, EnterpriseDirectory } from './roster/roster-row';
export { readRoster, ROSTER_MAX_ROWS } from './roster/roster-reader';
export { buildRosterTemplate, ROSTER_SHEET_NAME, RosterSheetRow, XLSX_CONTENT_TYPE } from './roster/roster-template';
export { RosterExportService, rosterRowOf } from './roster/roster-export.service';
export { FaceEnrolmentService, EnrolCommand, ReviewCommand } from './enrolment/face-enrolment.service';
export { FaceReference, FaceReferenceStatus, FaceMatch, FACE_REFERENCE_STATUSES, FACE_REFERENCE_STATUS_NAMES } from './enrolment/face-reference.entity';
export { duplicateDecision, DuplicateDecision } from './enrolment/duplicate-decision';
export { auditActorOf, auditReadScopeOf, traineeTenant } from './auth/audit-actor';
