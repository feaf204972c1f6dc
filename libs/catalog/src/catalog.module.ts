import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CourseRepository } from './courses/course.repository';
import { CourseDoc, CourseSchema, LessonDoc, LessonSchema } from './courses/course.schema';
import { LessonRepository } from './courses/lesson.repository';
import { ProgramRepository } from './programs/program.repository';
import { ProgramDoc, ProgramSchema } from './programs/program.schema';
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
  providers: [ProgramRepository, CourseRepository, LessonRepository, ProgramSeeder, CourseSeeder],
  exports: [ProgramRepository, CourseRepository, LessonRepository],
})
export class CatalogModule {}
