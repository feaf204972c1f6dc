import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** The scanned, signed paper form an institution recorded a grant from (evidence: write-once, hash-checked). */
export class PaperConsentScan {
  key!: string;
  sha256!: string;
  size!: number;
  contentType!: string;
}

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

  /** Who recorded it: the trainee online, or the institution's staff member for a paper form. */
  @Prop({ type: Types.ObjectId, required: true })
  grantedBy!: Types.ObjectId;

  /** Absent on records from before paper forms existed: those were all given online. */
  @Prop({ enum: ['online', 'paper'] })
  channel?: 'online' | 'paper';

  /** Paper only: the date the trainee signed the form (YYYY-MM-DD). */
  @Prop()
  signedOn?: string;

  @Prop({ type: { key: String, sha256: String, size: Number, contentType: String, _id: false } })
  scan?: PaperConsentScan;

  @Prop()
  withdrawnAt?: Date;

  @Prop({ type: Types.ObjectId })
  withdrawnBy?: Types.ObjectId;

  @Prop({ enum: ['online', 'paper'] })
  withdrawnChannel?: 'online' | 'paper';

  /** Paper withdrawals: what the trainee said or wrote, as the institution recorded it. */
  @Prop()
  withdrawReason?: string;

  @Prop({ type: Types.ObjectId, required: true })
  institutionId!: Types.ObjectId;

  @Prop({ required: true })
  enterpriseRegionCode!: string;

  @Prop({ type: Types.ObjectId })
  userId?: Types.ObjectId;
}

export const FaceConsentSchema = SchemaFactory.createForClass(FaceConsentDoc);
FaceConsentSchema.index({ traineeId: 1, grantedAt: -1 });
