import { Prop, Schema, SchemaFactory, raw } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** Sittings carry the class's tenant keys (institution, region) so a scoped read is one query. */
@Schema({ collection: 'exam_sittings', timestamps: true })
export class ExamSittingDoc {
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) classId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true, index: true }) regionCode!: string;
  @Prop({ required: true, enum: ['separate', 'institution', 'joint'] }) organiser!: string;
  @Prop({ required: true }) ruleSetVersion!: number;
  @Prop({ required: true }) passMark!: number;
  @Prop({ required: true, enum: ['first', 'retake'] }) kind!: string;
  @Prop({ required: true }) paperCode!: string;
  @Prop({ required: true }) paperTitle!: string;
  @Prop({ required: true }) startsAt!: Date;
  @Prop({ required: true }) endsAt!: Date;
  @Prop({ required: true }) location!: string;
  @Prop(raw([{ _id: false, traineeId: { type: Types.ObjectId, required: true }, name: String, regionCode: String, attempt: Number }])) candidates!: { traineeId: Types.ObjectId; name: string; regionCode: string; attempt: number }[];
  @Prop({ required: true, enum: ['scheduled', 'recorded'], default: 'scheduled' }) status!: string;
  @Prop({ type: [String], default: [] }) invigilators!: string[];
  @Prop(raw([{ _id: false, traineeId: Types.ObjectId, score: Number, absent: Boolean, passed: Boolean }])) results!: { traineeId: Types.ObjectId; score?: number; absent: boolean; passed: boolean }[];
  @Prop({ required: true }) createdBy!: string;
  @Prop() recordedBy?: string;
  @Prop() recordedAt?: Date;
}
export const ExamSittingSchema = SchemaFactory.createForClass(ExamSittingDoc);
ExamSittingSchema.index({ status: 1, 'candidates.traineeId': 1 });

export const EXAM_MODELS = [{ name: ExamSittingDoc.name, schema: ExamSittingSchema }];
