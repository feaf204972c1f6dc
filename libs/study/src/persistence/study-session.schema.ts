import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/**
 * A study session as stored. The nested state (credit, checks, pending flush) is kept as plain
 * sub-documents: it is written whole on every heartbeat and read back whole, never queried into.
 */
@Schema({ collection: 'study_sessions', versionKey: false, minimize: false })
export class StudySessionDoc {
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) status!: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) endReason?: { code: string; message: string };
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) traineeId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  @Prop({ type: Types.ObjectId, required: true }) lessonId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) courseId!: Types.ObjectId;
  @Prop({ required: true }) minutesPerHour!: number;
  @Prop() device?: string;
  @Prop({ type: Date, required: true }) startedAt!: Date;
  @Prop({ type: Date }) endedAt?: Date;
  @Prop({ type: Date, required: true }) lastSeenAt!: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) state!: Record<string, unknown>;
}

export const StudySessionSchema = SchemaFactory.createForClass(StudySessionDoc);
// One live session per trainee login, enforced by the database so it holds across API processes.
StudySessionSchema.index({ userId: 1 }, { unique: true, partialFilterExpression: { status: 'active' }, name: 'one_active_session_per_user' });
StudySessionSchema.index({ userId: 1, startedAt: -1 });
StudySessionSchema.index({ status: 1, lastSeenAt: 1 });
StudySessionSchema.index({ traineeId: 1, startedAt: -1 });
// The sweeper's "ledger write started, not confirmed" query, without scanning every session ever held.
StudySessionSchema.index({ 'state.flushing.no': 1 });
