import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CourseRepository } from './courses/course.repository';
import { CourseDoc, CourseSchema, LessonDoc, LessonSchema } from './courses/course.schema';
import { CatalogTenants } from './audit/catalog-tenants';
import { CourseService } from './courses/course.service';
import { LessonRepository } from './courses/lesson.repository';
import { ProgramRepository } from './programs/program.repository';
import { ProgramDoc, ProgramSchema } from './programs/program.schema';
import { ProgramService } from './programs/program.service';
import { CourseSeeder } from './seed/course.seeder';
import { ProgramSeeder } from './seed/program.seeder';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ProgramDoc.name, schema: ProgramSchema },
      { name: CourseDoc.name, schema: CourseSchema },
      { name: LessonDoc.name, schema: LessonSchema },
    ]),
  ],
  // The services are the use cases (every change commits through the global AuditTrail); the
  // repositories are exported for reads and for other contexts' use cases to write inside their commits.
  providers: [ProgramRepository, CourseRepository, LessonRepository, ProgramService, CourseService, CatalogTenants, ProgramSeeder, CourseSeeder],
  exports: [ProgramRepository, CourseRepository, LessonRepository, ProgramService, CourseService, CatalogTenants],
})
export class CatalogModule {}
