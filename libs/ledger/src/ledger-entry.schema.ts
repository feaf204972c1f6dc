import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';
import { LEDGER_SOURCES, LedgerEntryKind, LedgerSource } from './ledger-entry.entity';

@Schema({ collection: 'hour_ledger', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class LedgerEntryDoc {
  // The unique key is what makes a retried write (socket resend, job rerun) count once.
  @Prop({ required: true, unique: true })
  idempotencyKey!: string;

  @Prop({ type: Types.ObjectId, required: true })
  traineeId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  programId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  institutionId!: Types.ObjectId;

  @Prop({ required: true, index: true })
  regionCode!: string;

  @Prop({ type: Types.ObjectId, index: true })
  userId?: Types.ObjectId;

  @Prop({ type: String, required: true, enum: LEDGER_SOURCES })
  source!: LedgerSource;

  @Prop({ type: String, required: true, enum: ['credit', 'compensation'] })
  kind!: LedgerEntryKind;

  @Prop({ type: Types.ObjectId })
  courseId?: Types.ObjectId;

  @Prop({ type: Types.ObjectId })
  lessonId?: Types.ObjectId;

  @Prop({ required: true })
  seconds!: number;

  @Prop({ type: [[Number]], default: undefined })
  intervals?: [number, number][];

  @Prop({ type: String })
  sessionId?: string;

  @Prop({ type: [String], default: [] })
  evidence!: string[];

  @Prop({ type: Types.ObjectId })
  compensates?: Types.ObjectId;

  @Prop({ type: String })
  reason?: string;

  @Prop({ required: true })
  by!: string;

  @Prop({ type: Date, required: true })
  occurredAt!: Date;

  createdAt!: Date;
}

export type LedgerEntryDocument = HydratedDocument<LedgerEntryDoc>;
export const LedgerEntrySchema = SchemaFactory.createForClass(LedgerEntryDoc);
LedgerEntrySchema.index({ traineeId: 1, programId: 1, courseId: 1 });
// Compliance re-judges the trainees whose hours changed since its last sweep (libs/compliance).
LedgerEntrySchema.index({ createdAt: 1 });
