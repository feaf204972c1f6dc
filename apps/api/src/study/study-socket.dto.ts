import { IsBoolean, IsMongoId, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';

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
}

export class SessionRefDto {
  @IsMongoId() sessionId!: string;
}

export class HeartbeatDto extends SessionRefDto {
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 0 }) @Min(0) @Max(Number.MAX_SAFE_INTEGER) seq!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(30 * 86_400) position!: number;
  @IsBoolean() playing!: boolean;
  @IsBoolean() visible!: boolean;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.01) @Max(16) playbackRate!: number;
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
