import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { catalogError } from '../catalog.errors';
import type { Lesson, LessonStatus } from './course.entity';
import { LessonDoc } from './course.schema';

type Lean = LessonDoc & { _id: Types.ObjectId };

function toLesson(d: Lean): Lesson {
  return {
    id: d._id.toHexString(),
    courseId: d.courseId.toHexString(),
    position: d.position,
    title: d.title,
    status: d.status as LessonStatus,
    durationSeconds: d.durationSeconds ?? undefined,
    renditionId: d.renditionId ?? undefined,
    jobId: d.jobId ?? undefined,
    failure: d.failure?.code ? { code: d.failure.code, message: d.failure.message } : undefined,
  };
}

const oid = (id: string) => new Types.ObjectId(id);

@Injectable()
export class LessonRepository {
  constructor(@InjectModel(LessonDoc.name) private readonly model: Model<LessonDoc>) {}

  async listByCourse(courseId: string): Promise<Lesson[]> {
    if (!isValidObjectId(courseId)) return [];
    const docs = await this.model.find({ courseId: oid(courseId) }).sort({ position: 1, _id: 1 }).lean<Lean[]>();
    return docs.map(toLesson);
  }

  async listByCourses(courseIds: readonly string[]): Promise<Lesson[]> {
    const docs = await this.model
      .find({ courseId: { $in: courseIds.filter((id) => isValidObjectId(id)).map(oid) } })
      .sort({ courseId: 1, position: 1, _id: 1 })
      .lean<Lean[]>();
    return docs.map(toLesson);
  }

  async findById(id: string): Promise<Lesson | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findById(id).lean<Lean>();
    return doc ? toLesson(doc) : undefined;
  }

  /** Appends at the end of the course. */
  async append(courseId: string, title: string): Promise<Lesson> {
    const last = await this.model.findOne({ courseId: oid(courseId) }).sort({ position: -1 }).lean<Lean>();
    const doc = await this.model.create({ courseId: oid(courseId), title, position: last ? last.position + 1 : 0, status: 'draft' });
    return toLesson(doc.toObject() as Lean);
  }

  async rename(id: string, title: string): Promise<Lesson | undefined> {
    return this.set(id, { title });
  }

  /** Rewrites positions to follow the given order, which must name every lesson of the course once. */
  async reorder(courseId: string, lessonIds: readonly string[]): Promise<Lesson[]> {
    const current = await this.listByCourse(courseId);
    const same =
      lessonIds.length === current.length && new Set(lessonIds).size === lessonIds.length && current.every((l) => lessonIds.includes(l.id));
    if (!same) throw catalogError('LESSON_ORDER_MISMATCH', { expected: current.map((l) => l.id) });
    await this.model.bulkWrite(
      lessonIds.map((id, position) => ({ updateOne: { filter: { _id: oid(id), courseId: oid(courseId) }, update: { $set: { position } } } })),
    );
    return this.listByCourse(courseId);
  }

  /** An upload was accepted and its packaging job queued; a published rendition stays playable meanwhile. */
  async markProcessing(id: string, jobId: string): Promise<void> {
    await this.model.updateOne({ _id: oid(id), status: { $ne: 'published' } }, { $set: { jobId, status: 'processing' }, $unset: { failure: '' } });
    await this.model.updateOne({ _id: oid(id), status: 'published' }, { $set: { jobId }, $unset: { failure: '' } });
  }

  /** Only the lesson's current job may publish: a stale job finishing late must not win. */
  async publish(id: string, jobId: string, renditionId: string, durationSeconds: number): Promise<boolean> {
    const res = await this.model.updateOne(
      { _id: oid(id), jobId },
      { $set: { status: 'published', renditionId, durationSeconds }, $unset: { failure: '' } },
    );
    return res.modifiedCount === 1;
  }

  /** The upload was rejected: a lesson that never had a video is failed; a published one keeps its video. */
  async markFailed(id: string, jobId: string, failure: { code: string; message: string }): Promise<void> {
    await this.model.updateOne({ _id: oid(id), jobId, status: { $ne: 'published' } }, { $set: { failure, status: 'failed' } });
    await this.model.updateOne({ _id: oid(id), jobId, status: 'published' }, { $set: { failure } });
  }

  private async set(id: string, fields: Record<string, unknown>): Promise<Lesson | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findOneAndUpdate({ _id: oid(id) }, { $set: fields }, { returnDocument: 'after' }).lean<Lean>();
    return doc ? toLesson(doc) : undefined;
  }
}
