import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrganisationRepository } from './organisations/organisation.repository';
import { OrganisationDoc, OrganisationSchema } from './organisations/organisation.schema';
import { OrganisationSeeder } from './seed/organisation.seeder';

@Module({
  imports: [MongooseModule.forFeature([{ name: OrganisationDoc.name, schema: OrganisationSchema }])],
  providers: [OrganisationRepository, OrganisationSeeder],
  exports: [OrganisationRepository],
})
export class IdentityModule {}
