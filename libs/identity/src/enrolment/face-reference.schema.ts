import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { FACE_REFERENCE_STATUSES } from './face-reference.entity';

/**
 * One reference photo of a trainee: the descriptor, where the image is kept, who enrolled it and
 * why. Never deleted, so the history of a trainee's references (and of every review) stays
 * readable to auditors. Tenant keys are copied from the trainee like the consent records.
 */
@Schema({ collection: 'face_references', timestamps: true })
export class FaceReferenceDoc {
  @Prop({ type: Types.ObjectId, required: true }) traineeId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) enterpriseRegionCode!: string;
  @Prop({ type: Types.ObjectId }) userId?: Types.ObjectId;

  @Prop({ required: true, enum: FACE_REFERENCE_STATUSES }) status!: string;
  @Prop({ type: [Number], required: true }) descriptor!: number[];
  @Prop({ type: Object, required: true }) quality!: Record<string, unknown>;

  @Prop({ required: true }) imageKey!: string;
  @Prop({ required: true }) imageSha256!: string;
  @Prop({ required: true }) imageType!: string;
  @Prop({ required: true }) imageSize!: number;
  @Prop({ required: true, enum: ['upload', 'webcam'] }) source!: string;

  @Prop({ trim: true, maxlength: 500 }) reason?: string;
  @Prop({ type: Types.ObjectId, required: true }) enrolledBy!: Types.ObjectId;
  @Prop({ required: true }) enrolledAt!: Date;

  /** Other trainees of the program whose faces were within the match threshold at enrolment. */
  @Prop({ type: [{ traineeId: Types.ObjectId, referenceId: Types.ObjectId, distance: Number, _id: false }], default: [] })
  matches!: Array<{ traineeId: Types.ObjectId; referenceId: Types.ObjectId; distance: number }>;

  @Prop({ type: { decision: String, reason: String, by: Types.ObjectId, at: Date, _id: false } })
  review?: { decision: string; reason: string; by: Types.ObjectId; at: Date };

  @Prop({ type: { reason: String, by: Types.ObjectId, at: Date, _id: false } })
  retired?: { reason?: string; by: Types.ObjectId; at: Date };

  /** Retire the other active references when this one becomes active (a replacement, not an addition). */
  @Prop({ default: false }) replacePrevious!: boolean;

  updatedAt?: Date;
}

export const FaceReferenceSchema = SchemaFactory.createForClass(FaceReferenceDoc);
FaceReferenceSchema.index({ traineeId: 1, enrolledAt: -1 });
// The duplicate-person gallery catches up on what changed since it last looked.
FaceReferenceSchema.index({ programId: 1, updatedAt: 1 });
FaceReferenceSchema.index({ status: 1, enterpriseRegionCode: 1 });
