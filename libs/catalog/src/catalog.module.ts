import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProgramRepository } from './programs/program.repository';
import { ProgramDoc, ProgramSchema } from './programs/program.schema';
import { ProgramSeeder } from './seed/program.seeder';

@Module({
  imports: [MongooseModule.forFeature([{ name: ProgramDoc.name, schema: ProgramSchema }])],
  providers: [ProgramRepository, ProgramSeeder],
  exports: [ProgramRepository],
})
export class CatalogModule {}
