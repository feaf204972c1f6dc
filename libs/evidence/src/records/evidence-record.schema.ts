import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EVIDENCE_KINDS, EvidenceKind, Hold } from './retention';
import type { Integrity } from './evidence-record.entity';

@Schema({ collection: 'evidence_records', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class EvidenceRecordDoc {
  // One record per stored object: a replayed write finds the first record instead of a second one.
  @Prop({ required: true, unique: true })
  key!: string;

  @Prop({ required: true, index: true })
  sha256!: string;

  @Prop({ required: true })
  size!: number;

  @Prop({ required: true })
  contentType!: string;

  @Prop({ type: String, required: true, enum: EVIDENCE_KINDS })
  kind!: EvidenceKind;

  @Prop({ type: String })
  ownerId?: string;

  @Prop({ type: String, index: true })
  institutionId?: string;

  @Prop({ type: String, index: true })
  regionCode?: string;

  @Prop({ type: String, index: true })
  sessionId?: string;

  @Prop({ type: Date, required: true })
  occurredAt!: Date;

  @Prop({ type: Date, required: true, index: true })
  retainUntil!: Date;

  @Prop({ type: Object })
  hold?: Hold;

  @Prop({ type: String, required: true, enum: ['kept', 'disposed'], default: 'kept' })
  status!: 'kept' | 'disposed';

  @Prop({ type: Date })
  disposedAt?: Date;

  createdAt!: Date;

  @Prop({ type: Date, index: true })
  lastVerifiedAt?: Date;

  @Prop({ type: String, enum: ['ok', 'mismatch', 'missing'] })
  integrity?: Integrity;
}

export const EvidenceRecordSchema = SchemaFactory.createForClass(EvidenceRecordDoc);
