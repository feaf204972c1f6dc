import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { AuthController } from './auth.controller';
import { FaceConsentController } from './face-consent.controller';
import { EnrolmentController } from './enrolment.controller';
import { RosterController } from './roster.controller';
import { OrganisationsController } from './organisations.controller';
import { TraineesController } from './trainees.controller';
import { UsersController } from './users.controller';

@Module({
  imports: [IdentityModule],
  controllers: [AuthController, UsersController, OrganisationsController, RosterController, TraineesController, FaceConsentController, EnrolmentController],
})
export class IdentityHttpModule {}
