import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { isDuplicateKey } from '@app/platform';
import { catalogError } from '../catalog.errors';
import type { Course, NewCourse } from './course.entity';
import { CourseDoc } from './course.schema';

type Lean = CourseDoc & { _id: Types.ObjectId };

function toCourse(d: Lean): Course {
  return {
    id: d._id.toHexString(),
    programId: d.programId.toHexString(),
    code: d.code,
    title: d.title,
    description: d.description ?? '',
    audiences: d.audiences ?? [],
    deadline: d.deadline ?? undefined,
    demo: d.demo ?? false,
  };
}

export type CoursePatch = Partial<Pick<Course, 'title' | 'description' | 'audiences'>> & { deadline?: string | null };

/**
 * Courses are program reference data, readable by every staff role; trainees reach them only
 * through their audience (see coursesForAudience), never through an unfiltered list.
 */
@Injectable()
export class CourseRepository {
  constructor(@InjectModel(CourseDoc.name) private readonly model: Model<CourseDoc>) {}

  async listByProgram(programId: string): Promise<Course[]> {
    if (!isValidObjectId(programId)) return [];
    const docs = await this.model.find({ programId: new Types.ObjectId(programId) }).sort({ code: 1 }).lean<Lean[]>();
    return docs.map(toCourse);
  }

  async listByPrograms(programIds: readonly string[]): Promise<Course[]> {
    const ids = programIds.filter((id) => isValidObjectId(id)).map((id) => new Types.ObjectId(id));
    const docs = await this.model.find({ programId: { $in: ids } }).sort({ code: 1 }).lean<Lean[]>();
    return docs.map(toCourse);
  }

  async findById(id: string): Promise<Course | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findById(id).lean<Lean>();
    return doc ? toCourse(doc) : undefined;
  }

  async findByCode(programId: string, code: string): Promise<Course | undefined> {
    if (!isValidObjectId(programId)) return undefined;
    const doc = await this.model.findOne({ programId: new Types.ObjectId(programId), code }).lean<Lean>();
    return doc ? toCourse(doc) : undefined;
  }

  async create(course: NewCourse): Promise<Course> {
    try {
      const doc = await this.model.create({ ...course, programId: new Types.ObjectId(course.programId) });
      return toCourse(doc.toObject() as Lean);
    } catch (e) {
      if (isDuplicateKey(e)) throw catalogError('COURSE_CODE_TAKEN', { code: course.code });
      throw e;
    }
  }

  async update(id: string, patch: CoursePatch): Promise<Course | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const { deadline, ...rest } = patch;
    const set: Record<string, unknown> = { ...rest };
    const unset: Record<string, ''> = {};
    if (deadline === null) unset.deadline = '';
    else if (deadline !== undefined) set.deadline = deadline;
    const doc = await this.model
      .findOneAndUpdate({ _id: new Types.ObjectId(id) }, { $set: set, $unset: unset }, { returnDocument: 'after', runValidators: true })
      .lean<Lean>();
    return doc ? toCourse(doc) : undefined;
  }
}
