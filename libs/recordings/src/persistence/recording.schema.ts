import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

@Schema({ collection: 'session_recordings', timestamps: true, versionKey: false })
export class SessionRecordingDoc {
  @Prop({ type: Types.ObjectId, required: true, unique: true })
  sessionId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  classId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true, index: true })
  institutionId!: Types.ObjectId;

  @Prop({ required: true, index: true })
  regionCode!: string;

  @Prop({ type: [Object], default: [] })
  files!: object[];

  @Prop({ type: Object })
  verdict?: object;

  @Prop({ type: Date })
  acceptedAt?: Date;

  @Prop({ type: String })
  faceJobId?: string;

  @Prop({ type: Object })
  faces?: object;

  @Prop({ type: [Object], default: [] })
  reusedFrom!: object[];

  @Prop({ type: [String], default: [], index: true })
  frameHashes!: string[];
}

export const SessionRecordingSchema = SchemaFactory.createForClass(SessionRecordingDoc);
SessionRecordingSchema.index({ 'files.sha256': 1 });
