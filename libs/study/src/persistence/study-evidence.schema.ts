import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One webcam capture sent for a face check, kept (image in the blob store) as evidence for auditors. */
@Schema({ collection: 'study_captures', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class StudyCaptureDoc {
  @Prop({ type: Types.ObjectId, required: true, index: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) traineeId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true, index: true }) regionCode!: string;
  @Prop({ type: Types.ObjectId, required: true }) lessonId!: Types.ObjectId;
  @Prop({ required: true }) checkNo!: number;
  @Prop({ required: true }) reason!: string;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ required: true, index: true }) outcome!: string;
  @Prop({ type: Number }) distance?: number | null;
  @Prop({ type: Number }) threshold?: number;
  @Prop({ required: true }) faces!: number;
  @Prop({ required: true }) blobKey!: string;
  @Prop({ required: true }) sha256!: string;
  @Prop({ required: true }) size!: number;
  @Prop({ required: true }) contentType!: string;
  /** Why the engine could not judge the image (a bad frame), in its own words. */
  @Prop() note?: string;
  /** 256-bit difference hash of the image (libs/face perceptualHash): finds a frame sent again. */
  @Prop() phash?: string;
  /** The earlier capture of the same trainee this one repeats (a replay), for auditors. */
  @Prop({ type: Types.ObjectId }) replayOf?: Types.ObjectId;
  /** The capture was judged but did not count, and why (a stable code). */
  @Prop() refusedAs?: string;
  /** Set by an auditor who judged the capture fraudulent. */
  @Prop() voidedBy?: string;
}
export const StudyCaptureSchema = SchemaFactory.createForClass(StudyCaptureDoc);
// A replay is looked up among the trainee's own captures: by exact bytes first, then by perceptual hash.
StudyCaptureSchema.index({ traineeId: 1, sha256: 1 });

/** Why (part of) a heartbeat earned nothing: the evidence trail behind every refused second. */
@Schema({ collection: 'study_refusals', versionKey: false })
export class StudyRefusalDoc {
  @Prop({ type: Types.ObjectId, required: true }) sessionId!: Types.ObjectId;
  @Prop({ required: true }) seq!: number;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ required: true }) code!: string;
  @Prop({ required: true }) seconds!: number;
  @Prop({ type: Object }) detail?: Record<string, number>;
}
export const StudyRefusalSchema = SchemaFactory.createForClass(StudyRefusalDoc);
StudyRefusalSchema.index({ sessionId: 1, seq: 1, code: 1 }, { unique: true });
