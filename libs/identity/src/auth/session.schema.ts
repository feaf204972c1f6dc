import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One login: the family of refresh tokens issued from it. Access tokens name it as `sid`. */
@Schema({ collection: 'auth_sessions', timestamps: true })
export class SessionDoc {
  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop()
  revokedAt?: Date;

  /** logout | reuse | password-change */
  @Prop()
  revokedReason?: string;

  @Prop({ maxlength: 300 })
  userAgent?: string;

  @Prop({ maxlength: 64 })
  ip?: string;
}

export const SessionSchema = SchemaFactory.createForClass(SessionDoc);
SessionSchema.index({ userId: 1, revokedAt: 1 });

@Schema({ collection: 'auth_refresh_tokens', timestamps: true })
export class RefreshTokenDoc {
  /** sha256 of the token; the token itself is never stored. */
  @Prop({ required: true })
  hash!: string;

  @Prop({ type: Types.ObjectId, required: true })
  familyId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop()
  rotatedAt?: Date;
}

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshTokenDoc);
RefreshTokenSchema.index({ hash: 1 }, { unique: true });
RefreshTokenSchema.index({ familyId: 1 });
