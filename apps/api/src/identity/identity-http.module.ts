import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { AuthController } from './auth.controller';
import { OrganisationsController } from './organisations.controller';
import { UsersController } from './users.controller';

@Module({
  imports: [IdentityModule.forRoot()],
  controllers: [AuthController, UsersController, OrganisationsController],
})
export class IdentityHttpModule {}
