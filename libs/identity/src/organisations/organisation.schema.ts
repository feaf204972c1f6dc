import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { InstitutionQualification, QualificationShortfall } from './institution-qualification';
import { usccProblem } from './uscc';

@Schema({ collection: 'organisations', timestamps: true })
export class OrganisationDoc {
  @Prop({ required: true, enum: ['enterprise', 'institution', 'department', 'evaluator'] })
  kind!: string;

  @Prop({ required: true, trim: true, maxlength: 200 })
  name!: string;

  @Prop({ validate: { validator: (v: string) => usccProblem(v) === undefined, message: 'uscc' } })
  uscc?: string;

  @Prop({ required: true, match: /^\d{6}$/ })
  regionCode!: string;

  @Prop()
  industry?: string;

  @Prop({ enum: ['hrss', 'emergency', 'health'] })
  department?: string;

  @Prop({ default: false })
  demo!: boolean;

  /** Plain sub-documents: validated by the DTO and the pure rules before they get here. */
  @Prop({ type: Object })
  qualification?: InstitutionQualification;

  @Prop({ type: Object })
  qualificationReview?: { shortfalls: QualificationShortfall[]; justification?: string };
}

export const OrganisationSchema = SchemaFactory.createForClass(OrganisationDoc);
// One organisation per credit code; departments have none.
OrganisationSchema.index({ uscc: 1 }, { unique: true, partialFilterExpression: { uscc: { $type: 'string' } } });
OrganisationSchema.index({ kind: 1, regionCode: 1, name: 1 }, { unique: true });
