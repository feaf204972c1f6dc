import { Prop, Schema, SchemaFactory, raw } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import type { Deadline, ElectiveTarget, PersonnelCategory, RuleSet, Target } from './program.entity';

@Schema({ collection: 'programs', timestamps: true })
export class ProgramDoc {
  @Prop({ required: true, unique: true })
  code!: string;

  @Prop({ required: true })
  name!: string;

  @Prop(raw({ regionCode: { type: String, required: true }, name: { type: String, required: true } }))
  jurisdiction!: { regionCode: string; name: string };

  @Prop({ type: [String], default: [] })
  industries!: string[];

  @Prop(raw([{ _id: false, code: String, name: String }]))
  categories!: PersonnelCategory[];

  @Prop({ required: true, min: 1, max: 120, default: 45 })
  minutesPerHour!: number;

  @Prop({ required: true })
  startDate!: string;

  @Prop({ required: true })
  endDate!: string;

  // Rule sets are data read by the compliance functions; their shape is checked there, by type.
  @Prop({ type: Object, required: true })
  rules!: RuleSet;

  @Prop(raw([{ _id: false, date: String, description: String, source: String }]))
  deadlines!: Deadline[];

  @Prop({ type: [Object], default: [] })
  targets!: Target[];

  @Prop({ type: [String], default: [] })
  notes!: string[];

  @Prop()
  completionDeadline?: string;

  @Prop(raw([{ _id: false, industry: String, category: String, minHours: Number }]))
  electiveTargets!: ElectiveTarget[];
}

export type ProgramDocument = HydratedDocument<ProgramDoc>;
export const ProgramSchema = SchemaFactory.createForClass(ProgramDoc);
