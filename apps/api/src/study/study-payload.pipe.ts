import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isMongoId } from 'class-validator';
import { createValidationPipe } from '@app/platform';
import { HEARTBEAT_LIMITS, HeartbeatDto } from './study-socket.dto';

const KEYS = ['sessionId', 'seq', 'position', 'playing', 'visible', 'playbackRate', 'sentAt'] as const;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const within = (v: unknown, [min, max]: readonly [number, number]): v is number => finite(v) && v >= min && v <= max;

/**
 * True only for a heartbeat HeartbeatDto's rules accept as it is: a plain object with exactly its
 * fields, each valid. Stricter is allowed (the full pipe then decides), looser is not — the spec
 * checks both against class-validator.
 */
export function isWellFormedHeartbeat(v: unknown): v is HeartbeatDto {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== KEYS.length || !KEYS.every((k) => k in o)) return false;
  return (
    typeof o.sessionId === 'string' &&
    o.sessionId.length === 24 &&
    isMongoId(o.sessionId) &&
    within(o.seq, HEARTBEAT_LIMITS.seq) &&
    Number.isInteger(o.seq) &&
    within(o.position, HEARTBEAT_LIMITS.position) &&
    typeof o.playing === 'boolean' &&
    typeof o.visible === 'boolean' &&
    within(o.playbackRate, HEARTBEAT_LIMITS.playbackRate) &&
    finite(o.sentAt)
  );
}

/**
 * Validation for every study event. Heartbeats are the one hot event (every trainee, every 15 s),
 * and class-validator costs ~90 µs of the API's CPU per event (measured by bench:study): a
 * well-formed heartbeat passes on a plain check. Everything else — other events, and any heartbeat
 * the check does not accept — goes through the platform's ValidationPipe, which decides and words
 * the VALIDATION_FAILED error exactly as for every other payload.
 */
@Injectable()
export class StudyPayloadPipe implements PipeTransform {
  private readonly full = createValidationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.metatype === HeartbeatDto && isWellFormedHeartbeat(value) ? value : this.full.transform(value, metadata);
  }
}
