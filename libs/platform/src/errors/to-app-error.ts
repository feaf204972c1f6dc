import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { Error as MongooseError } from 'mongoose';
import { AppError } from './app-error';
import { PlatformErrorCode } from './error-codes';

const byStatus: Record<number, PlatformErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** body-parser marks its failures with `type`; these are all the client's fault. */
const bodyParserTypes: Record<string, PlatformErrorCode> = {
  'entity.parse.failed': 'MALFORMED_JSON',
  'entity.too.large': 'BODY_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'VALIDATION_FAILED',
  'request.size.invalid': 'VALIDATION_FAILED',
  'stream.encoding.set': 'INTERNAL_ERROR',
};

/**
 * Libraries that stay free of NestJS (the face engine) throw errors shaped like AppError:
 * an UPPER_SNAKE code, a 4xx/5xx status and a zh-CN message. They keep their code and status.
 */
interface ClientFacingError {
  code: string;
  status: number;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

function isClientFacing(e: unknown): e is ClientFacingError {
  const c = e as Partial<ClientFacingError>;
  return (
    e instanceof Error &&
    // Node's system errors (ENOENT, ECONNRESET…) also carry upper-case codes; they are never the client's.
    !('syscall' in e) &&
    !('errno' in e) &&
    typeof c.code === 'string' &&
    /^[A-Z][A-Z0-9_]+$/.test(c.code) &&
    Number.isInteger(c.status) &&
    c.status! >= 400 &&
    c.status! <= 599
  );
}

interface MongoLikeError {
  name?: string;
  code?: number;
  keyValue?: Record<string, unknown>;
  keyPattern?: Record<string, unknown>;
}

/**
 * Maps anything thrown to the one error shape. Pure, so HTTP and socket.io agree and the
 * mapping is unit-tested. Unknown errors become INTERNAL_ERROR without leaking their text.
 */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (exception instanceof ThrottlerException) return AppError.of('TOO_MANY_REQUESTS');
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404 && /^Cannot [A-Z]+ /.test(exception.message)) return AppError.of('ROUTE_NOT_FOUND');
    const code = byStatus[status];
    if (code) return AppError.of(code);
    return status >= 500 ? AppError.of('INTERNAL_ERROR') : new AppError('HTTP_' + status, status, '请求无法处理');
  }
  if (isClientFacing(exception)) {
    // A library's own 5xx text may describe internals; keep its code but use the platform's message.
    if (exception.status >= 500 && exception.status !== 503) return new AppError(exception.code, 500, AppError.of('INTERNAL_ERROR').message);
    return new AppError(exception.code, exception.status, exception.message, exception.details, exception.headers ?? {});
  }
  if (exception instanceof MongooseError.CastError) {
    return AppError.of('INVALID_ID', { field: exception.path });
  }
  if (exception instanceof MongooseError.ValidationError) {
    const fields = Object.values(exception.errors).map((e) => ({ field: e.path, reason: e.kind }));
    return AppError.of('VALIDATION_FAILED', { fields });
  }
  if (exception instanceof MongooseError.VersionError) return AppError.of('CONFLICT');
  const mongo = exception as MongoLikeError;
  if (mongo && typeof mongo === 'object' && typeof mongo.code === 'number' && /Mongo/.test(mongo.name ?? '')) {
    // Field names only: key values may hold personal data (blind-indexed ID numbers).
    if (mongo.code === 11000) return AppError.of('DUPLICATE', { fields: Object.keys(mongo.keyPattern ?? mongo.keyValue ?? {}) });
    if (mongo.code === 112) return AppError.of('CONFLICT');
  }
  const typed = exception as { type?: unknown; status?: unknown };
  if (typed && typeof typed.type === 'string' && bodyParserTypes[typed.type]) {
    return AppError.of(bodyParserTypes[typed.type]);
  }
  return AppError.of('INTERNAL_ERROR');
}

/** MongoDB's duplicate-key error (E11000): a unique index refused the write. */
export const isDuplicateKey = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 11000;
