import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** One version of a program's rule set; never changed once written (a change is the next version). */
@Schema({ collection: 'compliance_rule_sets', timestamps: { createdAt: true, updatedAt: false } })
export class RuleSetDoc {
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ required: true }) programCode!: string;
  @Prop({ required: true, min: 1 }) version!: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) body!: Record<string, unknown>;
  @Prop({ default: '' }) note!: string;
  @Prop({ required: true }) createdBy!: string;
  createdAt!: Date;
}
export const RuleSetSchema = SchemaFactory.createForClass(RuleSetDoc);
RuleSetSchema.index({ programId: 1, version: 1 }, { unique: true });

/**
 * A trainee's current verdict with the inputs it was judged from (rule-set version, hours,
 * courses, exam attempts): judging the stored inputs again gives the stored verdict.
 */
@Schema({ collection: 'compliance_verdicts', timestamps: true })
export class VerdictDoc {
  @Prop({ type: Types.ObjectId, required: true, unique: true }) traineeId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true, index: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true, index: true }) regionCode!: string;
  @Prop({ type: Types.ObjectId }) userId?: Types.ObjectId;
  @Prop({ required: true }) category!: string;
  @Prop({ required: true, enum: ['complete', 'in_progress', 'non_compliant'] }) status!: string;
  @Prop({ required: true }) ruleSetVersion!: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) verdict!: Record<string, unknown>;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) inputs!: Record<string, unknown>;
  @Prop({ required: true }) inputsHash!: string;
  /** Other programs the same person (by ID-number blind index) trains in: 避免重复培训. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) alsoTrainingIn!: Array<{ traineeId: string; programId: string; programCode: string }>;
  @Prop({ required: true }) judgedAt!: Date;
}
export const VerdictSchema = SchemaFactory.createForClass(VerdictDoc);
VerdictSchema.index({ programId: 1, status: 1 });

/** One exam attempt's result, online or on paper: the input verdicts read (written by the exams context). */
@Schema({ collection: 'compliance_exam_results', timestamps: { createdAt: true, updatedAt: false } })
export class ExamResultDoc {
  @Prop({ type: Types.ObjectId, required: true, index: true }) traineeId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) programId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) institutionId!: Types.ObjectId;
  @Prop({ required: true }) regionCode!: string;
  /** The exam session (or paper import) it came from; one result per trainee and session. */
  @Prop({ required: true }) sessionId!: string;
  @Prop({ required: true, min: 0, max: 100 }) score!: number;
  @Prop({ required: true, enum: ['online', 'paper'] }) mode!: string;
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true }) by!: string;
}
export const ExamResultSchema = SchemaFactory.createForClass(ExamResultDoc);
ExamResultSchema.index({ sessionId: 1, traineeId: 1 }, { unique: true });

/** Trainees whose inputs changed and whose verdicts are to be judged again (the sweep drains it). */
@Schema({ collection: 'compliance_dirty' })
export class DirtyDoc {
  @Prop({ type: Types.ObjectId, required: true, unique: true }) traineeId!: Types.ObjectId;
  @Prop({ required: true }) since!: Date;
}
export const DirtySchema = SchemaFactory.createForClass(DirtyDoc);

/** How far the sweep has read other contexts' append-only data (the ledger) and the rule sets. */
@Schema({ collection: 'compliance_watermarks' })
export class WatermarkDoc {
  @Prop({ required: true, unique: true }) key!: string;
  @Prop({ required: true }) value!: string;
}
export const WatermarkSchema = SchemaFactory.createForClass(WatermarkDoc);

export const COMPLIANCE_MODELS = [
  { name: RuleSetDoc.name, schema: RuleSetSchema },
  { name: VerdictDoc.name, schema: VerdictSchema },
  { name: ExamResultDoc.name, schema: ExamResultSchema },
  { name: DirtyDoc.name, schema: DirtySchema },
  { name: WatermarkDoc.name, schema: WatermarkSchema },
];
