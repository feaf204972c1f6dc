import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One grant of face-data consent and, later, its withdrawal. Records are never deleted: the
 * history (who, when, which text) is the evidence. The trainee's tenant keys are copied in so the
 * same tenant filter as for trainees applies.
 */
@Schema({ collection: 'face_consents', timestamps: true })
export class FaceConsentDoc {
  @Prop({ type: Types.ObjectId, required: true })
  traineeId!: Types.ObjectId;

  @Prop({ required: true })
  textVersion!: string;

  @Prop({ required: true })
  grantedAt!: Date;

  @Prop({ type: Types.ObjectId, required: true })
  grantedBy!: Types.ObjectId;

  @Prop()
  withdrawnAt?: Date;

  @Prop({ type: Types.ObjectId })
  withdrawnBy?: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  institutionId!: Types.ObjectId;

  @Prop({ required: true })
  enterpriseRegionCode!: string;

  @Prop({ type: Types.ObjectId })
  userId?: Types.ObjectId;
}

export const FaceConsentSchema = SchemaFactory.createForClass(FaceConsentDoc);
FaceConsentSchema.index({ traineeId: 1, grantedAt: -1 });
