import { Global, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '@app/catalog';
import { EvidenceModule } from '@app/evidence';
import { AppConfig, AppConfigToken } from '@app/platform';
import { AccessTokens } from './auth/access-tokens';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { LoginAttemptRepository } from './auth/login-attempt.repository';
import { LoginAttemptDoc, LoginAttemptSchema } from './auth/login-attempt.schema';
import { PasswordHasher } from './auth/password-hasher';
import { AuthRevocations } from './auth/auth-revocations';
import { SessionRepository } from './auth/session.repository';
import { RefreshTokenDoc, RefreshTokenSchema, SessionDoc, SessionSchema } from './auth/session.schema';
import { SocketAuthenticator } from './auth/socket-authenticator';
import { FaceConsentRepository } from './consent/face-consent.repository';
import { FaceConsentDoc, FaceConsentSchema } from './consent/face-consent.schema';
import { FaceConsentService } from './consent/face-consent.service';
import { IdentityOptionsToken, overridesFromConfig, resolveIdentityOptions } from './identity.options';
import { OrganisationRepository } from './organisations/organisation.repository';
import { OrganisationService } from './organisations/organisation.service';
import { FieldCipher } from './pii/field-cipher';
import { OrganisationDoc, OrganisationSchema } from './organisations/organisation.schema';
import { FaceEnrolmentService } from './enrolment/face-enrolment.service';
import { FaceGallery } from './enrolment/face-gallery';
import { FaceReferenceRepository } from './enrolment/face-reference.repository';
import { FaceReferenceDoc, FaceReferenceSchema } from './enrolment/face-reference.schema';
import { RosterExportService } from './roster/roster-export.service';
import { RosterImportService } from './roster/roster-import.service';
import { DemoAccountSeeder } from './seed/demo-account.seeder';
import { DemoTraineeSeeder } from './seed/demo-trainee.seeder';
import { OrganisationSeeder } from './seed/organisation.seeder';
import { TraineeRepository } from './trainees/trainee.repository';
import { TraineeDoc, TraineeSchema } from './trainees/trainee.schema';
import { TraineeService } from './trainees/trainee.service';
import { UserRepository } from './users/user.repository';
import { UserDoc, UserSchema } from './users/user.schema';
import { UserService } from './users/user.service';

/**
 * Development defaults from `<dataDir>/secrets.json`; a deployment's settings (token secret,
 * TTLs, lock-out, PII keys) come from AppConfig and override them.
 */
const optionsProvider: Provider = {
  provide: IdentityOptionsToken,
  inject: [AppConfigToken],
  useFactory: (config: AppConfig) => resolveIdentityOptions(config.dataDir, overridesFromConfig(config.identity)),
};

const exported = [
  AuthGuard,
  OrganisationRepository,
  OrganisationService,
  UserRepository,
  UserService,
  AuthService,
  SocketAuthenticator,
  FieldCipher,
  TraineeRepository,
  TraineeService,
  FaceConsentService,
  RosterImportService,
  RosterExportService,
  FaceEnrolmentService,
  IdentityOptionsToken,
];

/**
 * Organisations, accounts, login sessions, trainees, and the global guard that makes every HTTP
 * route require a login unless it is @Public(). Global, and a plain static module, so every
 * process (API, worker, seed CLI) lists it once in CONTEXT_MODULES and other contexts inject
 * SocketAuthenticator, TraineeRepository… without importing it (and without a second guard).
 */
@Global()
@Module({
  imports: [
    CatalogModule,
    EvidenceModule,
    MongooseModule.forFeature([
      { name: OrganisationDoc.name, schema: OrganisationSchema },
      { name: UserDoc.name, schema: UserSchema },
      { name: SessionDoc.name, schema: SessionSchema },
      { name: RefreshTokenDoc.name, schema: RefreshTokenSchema },
      { name: LoginAttemptDoc.name, schema: LoginAttemptSchema },
      { name: TraineeDoc.name, schema: TraineeSchema },
      { name: FaceConsentDoc.name, schema: FaceConsentSchema },
      { name: FaceReferenceDoc.name, schema: FaceReferenceSchema },
    ]),
  ],
  providers: [
    optionsProvider,
    OrganisationRepository,
    OrganisationService,
    UserRepository,
    SessionRepository,
    LoginAttemptRepository,
    PasswordHasher,
    AccessTokens,
    AuthService,
    UserService,
    SocketAuthenticator,
    AuthRevocations,
    FieldCipher,
    TraineeRepository,
    TraineeService,
    FaceConsentRepository,
    FaceConsentService,
    RosterImportService,
    RosterExportService,
    FaceReferenceRepository,
    FaceGallery,
    FaceEnrolmentService,
    OrganisationSeeder,
    DemoAccountSeeder,
    DemoTraineeSeeder,
    AuthGuard,
    // Nest applies global guards to HTTP only: gateways add @UseGuards(AuthGuard) themselves.
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: exported,
})
export class IdentityModule {}
