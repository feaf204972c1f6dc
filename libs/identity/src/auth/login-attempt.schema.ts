import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Failed-login counters keyed by the username typed, whether or not such a user exists, so a
 * lock-out looks the same for real and invented names and reveals nothing.
 */
@Schema({ collection: 'auth_login_attempts' })
export class LoginAttemptDoc {
  @Prop({ required: true, maxlength: 64 })
  username!: string;

  @Prop({ required: true, default: 0 })
  failures!: number;

  @Prop()
  windowStart?: Date;

  @Prop()
  lockedUntil?: Date;

  /** When the record stops mattering (for a TTL clean-up). */
  @Prop({ required: true })
  expiresAt!: Date;
}

export const LoginAttemptSchema = SchemaFactory.createForClass(LoginAttemptDoc);
LoginAttemptSchema.index({ username: 1 }, { unique: true });
LoginAttemptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
