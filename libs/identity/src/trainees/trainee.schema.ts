import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { TRAINEE_STATUSES } from './trainee.entity';

@Schema({ collection: 'trainees', timestamps: true })
export class TraineeDoc {
  @Prop({ type: Types.ObjectId, required: true })
  programId!: Types.ObjectId;

  @Prop({ required: true, trim: true, maxlength: 50 })
  name!: string;

  /** AES-256-GCM, `v1:<keyId>:…` (see pii/field-crypto). */
  @Prop({ required: true })
  idNumberEnc!: string;

  /** HMAC blind index of the normalised ID number, for exact lookups and uniqueness. */
  @Prop({ required: true })
  idNumberIdx!: string;

  @Prop()
  phoneEnc?: string;

  @Prop({ required: true, match: /^\d{4}-\d{2}-\d{2}$/ })
  birthDate!: string;

  @Prop({ required: true, enum: ['male', 'female'] })
  sex!: string;

  @Prop({ type: Types.ObjectId, required: true })
  enterpriseId!: Types.ObjectId;

  @Prop({ required: true, match: /^\d{6}$/ })
  enterpriseRegionCode!: string;

  @Prop({ type: Types.ObjectId, required: true })
  institutionId!: Types.ObjectId;

  @Prop({ required: true, maxlength: 50 })
  category!: string;

  @Prop({ trim: true, maxlength: 100 })
  post?: string;

  @Prop({ required: true, enum: TRAINEE_STATUSES, default: 'active' })
  status!: string;

  @Prop({ type: Types.ObjectId })
  userId?: Types.ObjectId;

  @Prop({ default: false })
  demo!: boolean;
}

export const TraineeSchema = SchemaFactory.createForClass(TraineeDoc);
// One person = one trainee record per program.
TraineeSchema.index({ programId: 1, idNumberIdx: 1 }, { unique: true });
// Across programs: the same person trained twice (libs/compliance, 避免重复培训).
TraineeSchema.index({ idNumberIdx: 1 });
TraineeSchema.index({ institutionId: 1, programId: 1, name: 1 });
TraineeSchema.index({ enterpriseRegionCode: 1, programId: 1 });
TraineeSchema.index({ userId: 1 }, { partialFilterExpression: { userId: { $exists: true } } });
