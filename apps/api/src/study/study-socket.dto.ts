import { IsBoolean, IsInt, IsMongoId, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';

/** socket.io delivers binary attachments as Buffer on the server. */
const IsBinary = () =>
  ValidateBy({
    name: 'isBinary',
    validator: { validate: (v: unknown) => Buffer.isBuffer(v) || v instanceof Uint8Array, defaultMessage: () => '$property must be binary image data' },
  });

export class OpenSessionDto {
  @IsMongoId() lessonId!: string;
  @IsOptional() @IsMongoId() resumeSessionId?: string;
  @IsOptional() @IsString() @MaxLength(120) device?: string;
  @IsOptional() @IsString() @MaxLength(64) fingerprint?: string;
}

export class SessionRefDto {
  @IsMongoId() sessionId!: string;
}

/** Bounds of a heartbeat's numbers, shared with the fast check in study-payload.pipe.ts. */
export const HEARTBEAT_LIMITS = {
  seq: [0, Number.MAX_SAFE_INTEGER],
  position: [0, 30 * 86_400],
  playbackRate: [0.01, 16],
} as const;

export class HeartbeatDto extends SessionRefDto {
  // IsInt, not IsNumber({ maxDecimalPlaces: 0 }): the latter throws a TypeError on 1e-9 (no '.' in its string form).
  @IsInt() @Min(HEARTBEAT_LIMITS.seq[0]) @Max(HEARTBEAT_LIMITS.seq[1]) seq!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(HEARTBEAT_LIMITS.position[0]) @Max(HEARTBEAT_LIMITS.position[1]) position!: number;
  @IsBoolean() playing!: boolean;
  @IsBoolean() visible!: boolean;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(HEARTBEAT_LIMITS.playbackRate[0]) @Max(HEARTBEAT_LIMITS.playbackRate[1]) playbackRate!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) sentAt!: number;
}

export class CaptureDto extends SessionRefDto {
  @IsString() @Matches(/^\d{1,6}$/) checkId!: string;
  @IsBinary() image!: Buffer;
}

export class PromptAnswerDto extends SessionRefDto {
  @IsString() @Matches(/^\d{1,6}$/) promptId!: string;
  @IsString() @MaxLength(20) answer!: string;
}
