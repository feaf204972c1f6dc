import { Prop, Schema, SchemaFactory, raw } from '@nestjs/mongoose';
import { Types } from 'mongoose';

// Every collection copies its tenant keys (institution, region, and the trainee's login where a
// trainee reads it) onto each row, so a scoped read is one indexed query (see offline-scope.ts).

@Schema({ collection: 'offline_classes', timestamps: true })
export class OfflineClassDoc {
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true, index: true }) regionCode!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) category!: string;
  @Prop({ required: true }) industry!: string;
  @Prop({ required: true }) location!: string;
  @Prop({ required: true }) startDate!: string;
  @Prop({ required: true }) endDate!: string;
  @Prop({ required: true, enum: ['draft', 'published', 'in_progress', 'finished'], default: 'draft' }) status!: string;
  @Prop({ required: true, default: 0 }) size!: number;
  @Prop(raw({ _id: false, cap: Number, size: Number, justification: String, source: String, at: Date, by: String }))
  sizeOverride?: { cap: number; size: number; justification: string; source: string; at: Date; by: string };
  @Prop({ default: false }) demo!: boolean;
}
export const OfflineClassSchema = SchemaFactory.createForClass(OfflineClassDoc);

@Schema({ collection: 'offline_roster', timestamps: true })
export class RosterEntryDoc {
  @Prop({ type: Types.ObjectId, required: true }) classId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) traineeId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) category!: string;
}
export const RosterEntrySchema = SchemaFactory.createForClass(RosterEntryDoc);
RosterEntrySchema.index({ classId: 1, traineeId: 1 }, { unique: true });

@Schema({ collection: 'offline_instructors', timestamps: true })
export class InstructorDoc {
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) idNumberEnc!: string;
  @Prop({ required: true }) idNumberIdx!: string;
  @Prop({ required: true, enum: ['teacher', 'manager'] }) role!: string;
  @Prop({ required: true, enum: ['full_time', 'part_time'] }) employment!: string;
  @Prop({ required: true }) title!: string;
  @Prop({ required: true, enum: ['senior', 'intermediate', 'junior', 'none'] }) titleLevel!: string;
  @Prop({ default: '' }) specialty!: string;
  @Prop({ default: false }) safetyMajor!: boolean;
  @Prop({ default: false }) safetyTeacher!: boolean;
  @Prop({ required: true, min: 0 }) yearsOfPractice!: number;
  @Prop({ default: true }) active!: boolean;
}
export const InstructorSchema = SchemaFactory.createForClass(InstructorDoc);
InstructorSchema.index({ institutionId: 1, idNumberIdx: 1 }, { unique: true });

@Schema({ collection: 'offline_sessions', timestamps: true })
export class ClassSessionDoc {
  @Prop({ type: Types.ObjectId, required: true, index: true }) classId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  @Prop({ required: true }) startsAt!: Date;
  @Prop({ required: true }) endsAt!: Date;
  @Prop({ required: true, enum: ['theory', 'practical', 'discussion'] }) kind!: string;
  @Prop({ required: true }) topic!: string;
  @Prop({ type: Types.ObjectId, required: true }) instructorId!: Types.ObjectId;
  @Prop({ required: true }) room!: string;
  @Prop({ required: true, enum: ['scheduled', 'accepted'], default: 'scheduled' }) status!: string;
  @Prop() acceptedAt?: Date;
  @Prop() acceptedBy?: string;
}
export const ClassSessionSchema = SchemaFactory.createForClass(ClassSessionDoc);
ClassSessionSchema.index({ institutionId: 1, startsAt: 1 });

const captureShape = { _id: false, step: String, key: String, sha256: String, size: Number, distance: Number, at: Date };

@Schema({ collection: 'offline_attendance', timestamps: true })
export class AttendanceDoc {
  @Prop({ type: Types.ObjectId, required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) classId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) traineeId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  @Prop() signInAt?: Date;
  @Prop() signOutAt?: Date;
  @Prop(raw([captureShape])) captures!: { step: string; key: string; sha256: string; size: number; distance: number; at: Date }[];
  @Prop(raw([{ _id: false, reason: String, by: String, at: Date, signInAt: Date, signOutAt: Date }]))
  manual!: { reason: string; by: string; at: Date; signInAt?: Date; signOutAt?: Date }[];
  @Prop({ default: false }) flagged!: boolean;
}
export const AttendanceSchema = SchemaFactory.createForClass(AttendanceDoc);
AttendanceSchema.index({ sessionId: 1, traineeId: 1 }, { unique: true });

@Schema({ collection: 'offline_kiosk_attempts', timestamps: false })
export class KioskAttemptDoc {
  @Prop({ type: Types.ObjectId, required: true, index: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true }) outcome!: string;
  @Prop({ type: Types.ObjectId }) traineeId?: Types.ObjectId;
  @Prop({ type: Number }) distance?: number | null;
  @Prop({ required: true }) faces!: number;
  @Prop(raw({ _id: false, key: String, sha256: String, size: Number })) capture?: { key: string; sha256: string; size: number };
}
export const KioskAttemptSchema = SchemaFactory.createForClass(KioskAttemptDoc);

@Schema({ collection: 'offline_kiosks', timestamps: true })
export class KioskDoc {
  @Prop({ required: true, unique: true }) tokenHash!: string;
  @Prop({ type: Types.ObjectId, required: true, index: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  @Prop({ required: true }) openedBy!: string;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop() revokedAt?: Date;
}
export const KioskSchema = SchemaFactory.createForClass(KioskDoc);

export const OFFLINE_MODELS = [
  { name: OfflineClassDoc.name, schema: OfflineClassSchema },
  { name: RosterEntryDoc.name, schema: RosterEntrySchema },
  { name: InstructorDoc.name, schema: InstructorSchema },
  { name: ClassSessionDoc.name, schema: ClassSessionSchema },
  { name: AttendanceDoc.name, schema: AttendanceSchema },
  { name: KioskAttemptDoc.name, schema: KioskAttemptSchema },
  { name: KioskDoc.name, schema: KioskSchema },
];
