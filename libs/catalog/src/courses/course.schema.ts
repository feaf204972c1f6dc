import { Prop, Schema, SchemaFactory, raw } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import type { CourseAudience } from './course.entity';

@Schema({ collection: 'courses', timestamps: true })
export class CourseDoc {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  programId!: Types.ObjectId;

  @Prop({ required: true })
  code!: string;

  @Prop({ required: true })
  title!: string;

  @Prop({ default: '' })
  description!: string;

  @Prop(raw([{ _id: false, industry: String, category: String, requirement: { type: String, enum: ['required', 'elective'] } }]))
  audiences!: CourseAudience[];

  @Prop()
  deadline?: string;

  @Prop({ default: false })
  demo!: boolean;
}

export const CourseSchema = SchemaFactory.createForClass(CourseDoc);
CourseSchema.index({ programId: 1, code: 1 }, { unique: true });

@Schema({ collection: 'lessons', timestamps: true })
export class LessonDoc {
  @Prop({ type: Types.ObjectId, required: true })
  courseId!: Types.ObjectId;

  @Prop({ required: true, min: 0 })
  position!: number;

  @Prop({ required: true })
  title!: string;

  @Prop({ required: true, enum: ['draft', 'processing', 'published', 'failed'], default: 'draft' })
  status!: string;

  @Prop()
  durationSeconds?: number;

  @Prop()
  renditionId?: string;

  @Prop()
  jobId?: string;

  @Prop(raw({ _id: false, code: String, message: String }))
  failure?: { code: string; message: string };
}

export const LessonSchema = SchemaFactory.createForClass(LessonDoc);
LessonSchema.index({ courseId: 1, position: 1 });
