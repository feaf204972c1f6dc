import { Prop, Schema, SchemaFactory, raw } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

// Ids are kept as strings: the items are a read model built from several contexts' records, and
// the owner columns (institutionId, regionCode, userId) confine every read (scopeFilter, ids: 'string').

const owner = {
  traineeId: { type: String, required: true },
  programId: { type: String, required: true },
  institutionId: { type: String, required: true },
  regionCode: { type: String, required: true },
  userId: { type: String },
  enterpriseId: { type: String },
  classId: { type: String },
};

/** One subject in the spot-check queue with its signals, score, claim and decision. */
@Schema({ collection: 'oversight_items', versionKey: false, timestamps: true })
export class OversightItemDoc {
  @Prop({ required: true }) subjectKind!: string;
  @Prop({ required: true }) subjectId!: string;
  @Prop(raw(owner)) owner!: Record<string, string | undefined>;
  @Prop({ required: true }) traineeId!: string;
  @Prop({ required: true }) programId!: string;
  @Prop({ required: true }) institutionId!: string;
  @Prop({ required: true }) regionCode!: string;
  @Prop() userId?: string;
  @Prop() enterpriseId?: string;
  @Prop() classId?: string;
  @Prop() sessionId?: string;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) signals!: Record<string, unknown>[];
  @Prop({ type: [String], default: [] }) codes!: string[];
  @Prop({ required: true }) score!: number;
  @Prop({ required: true }) formula!: string;
  @Prop({ required: true, enum: ['open', 'confirmed', 'voided'], default: 'open' }) status!: string;
  @Prop(raw({ _id: false, by: String, at: Date, until: Date })) claim?: { by: string; at: Date; until: Date };
  @Prop(raw({ _id: false, kind: String, by: String, at: Date, reason: String, voidId: String })) decision?: { kind: string; by: string; at: Date; reason: string; voidId?: string };
  @Prop({ type: Date, required: true }) refreshedAt!: Date;
}
export const OversightItemSchema = SchemaFactory.createForClass(OversightItemDoc);
OversightItemSchema.index({ subjectKind: 1, subjectId: 1 }, { unique: true });
// The queue: a jurisdiction's open items by score (region prefix, then sort).
OversightItemSchema.index({ regionCode: 1, status: 1, score: -1 });
OversightItemSchema.index({ status: 1, score: -1, at: -1 });
OversightItemSchema.index({ institutionId: 1, score: -1 });

/** A void: the credits it compensated, exactly, and what became of it. */
@Schema({ collection: 'oversight_voids', versionKey: false, timestamps: true })
export class OversightVoidDoc {
  /** `<scope kind>:<scope id>`: one void per scope, so a repeated void finds the first. */
  @Prop({ required: true, unique: true }) key!: string;
  @Prop(raw({ _id: false, kind: String, sessionId: String, day: String, traineeId: String, institutionId: String })) scope!: Record<string, string>;
  @Prop() itemId?: string;
  @Prop({ required: true }) traineeId!: string;
  @Prop({ required: true }) programId!: string;
  @Prop({ required: true }) institutionId!: string;
  @Prop({ required: true }) regionCode!: string;
  @Prop() userId?: string;
  @Prop({ required: true }) reason!: string;
  @Prop({ required: true }) by!: string;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop(raw([{ _id: false, creditId: String, compensationId: String, seconds: Number, source: String }])) entries!: { creditId: string; compensationId: string; seconds: number; source: string }[];
  @Prop({ required: true }) seconds!: number;
  @Prop({ required: true, enum: ['active', 'reversed', 'restored'], default: 'active' }) status!: string;
  @Prop(raw({ _id: false, kind: String, by: String, at: Date, reason: String, appealId: String, restorations: [String] }))
  undone?: { kind: 'reversed' | 'restored'; by: string; at: Date; reason: string; appealId?: string; restorations: string[] };
}
export const OversightVoidSchema = SchemaFactory.createForClass(OversightVoidDoc);
OversightVoidSchema.index({ traineeId: 1, at: -1 });
OversightVoidSchema.index({ institutionId: 1, at: -1 });
OversightVoidSchema.index({ userId: 1, at: -1 });

/** The one appeal a void may have: statement, evidence, decision by another auditor. */
@Schema({ collection: 'oversight_appeals', versionKey: false, timestamps: true })
export class OversightAppealDoc {
  @Prop({ required: true, unique: true }) voidId!: string;
  @Prop({ required: true }) traineeId!: string;
  @Prop({ required: true }) institutionId!: string;
  @Prop({ required: true }) regionCode!: string;
  @Prop() userId?: string;
  @Prop({ required: true }) by!: string;
  @Prop({ required: true }) byRole!: string;
  @Prop({ required: true }) statement!: string;
  @Prop(raw([{ _id: false, key: String, sha256: String, size: Number, contentType: String, name: String }])) evidence!: { key: string; sha256: string; size: number; contentType: string; name: string }[];
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ required: true, enum: ['pending', 'upheld', 'rejected'], default: 'pending' }) status!: string;
  @Prop(raw({ _id: false, by: String, at: Date, reason: String })) decision?: { by: string; at: Date; reason: string };
}
export const OversightAppealSchema = SchemaFactory.createForClass(OversightAppealDoc);

/** A trainee or an institution under watch: their sessions get more frequent face checks. */
@Schema({ collection: 'oversight_watch', versionKey: false, timestamps: true })
export class OversightWatchDoc {
  @Prop({ required: true, enum: ['trainee', 'institution'] }) kind!: string;
  @Prop({ required: true }) targetId!: string;
  @Prop({ required: true }) institutionId!: string;
  @Prop({ required: true }) regionCode!: string;
  @Prop() userId?: string;
  @Prop({ required: true }) reason!: string;
  @Prop({ required: true }) by!: string;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ type: Date }) until?: Date;
  /** Face checks this many times as often while watched. */
  @Prop({ required: true }) factor!: number;
  @Prop({ required: true, default: true }) active!: boolean;
}
export const OversightWatchSchema = SchemaFactory.createForClass(OversightWatchDoc);
OversightWatchSchema.index({ kind: 1, targetId: 1 }, { unique: true });

export const OVERSIGHT_MODELS = [
  { name: OversightItemDoc.name, schema: OversightItemSchema },
  { name: OversightVoidDoc.name, schema: OversightVoidSchema },
  { name: OversightAppealDoc.name, schema: OversightAppealSchema },
  { name: OversightWatchDoc.name, schema: OversightWatchSchema },
];
