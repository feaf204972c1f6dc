import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { ROLES } from '../auth/role';
import { USERNAME_PATTERN } from './user.entity';

@Schema({ collection: 'users', timestamps: true })
export class UserDoc {
  @Prop({ required: true, match: USERNAME_PATTERN })
  username!: string;

  @Prop({ required: true, trim: true, maxlength: 100 })
  displayName!: string;

  @Prop({ required: true, enum: ROLES })
  role!: string;

  @Prop({ type: Types.ObjectId })
  organisationId?: Types.ObjectId;

  @Prop({ required: true })
  passwordHash!: string;

  @Prop({ default: false })
  mustChangePassword!: boolean;

  @Prop({ default: false })
  disabled!: boolean;

  @Prop({ default: 0 })
  tokenVersion!: number;

  @Prop({ default: false })
  demo!: boolean;
}

export const UserSchema = SchemaFactory.createForClass(UserDoc);
UserSchema.index({ username: 1 }, { unique: true });
UserSchema.index({ organisationId: 1, role: 1 });
