import { Document } from 'bson';

/** Codes and names exactly as mongod reports them (src/mongo/base/error_codes.yml). */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationFailed: 96,
  WriteConflict: 112,
  NoSuchTransaction: 251,
  TransactionTooOld: 225,
  InvalidIdField: 53,
  Location40352: 40352,
  DuplicateKey: 11000,
  Location16755: 16755,
  Location31254: 31254,
  OperationNotSupportedInTransaction: 263,
  NoSuchSession: 206,
  CannotCreateIndex: 67,
  InvalidPipelineOperator: 168,
  QueryFeatureNotAllowed: 224,
  Unauthorized: 13,
  MaxTimeMSExpired: 50,
  DocumentValidationFailure: 121,
  JSInterpreterFailure: 139,
  TransactionCommitted: 256,
} as const;

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(ErrorCodes).map(([name, code]) => [code, name]),
);

export function codeName(code: number): string {
  return NAMES[code] ?? 'Location' + code;
}

/** An error that becomes an `ok: 0` command reply (or a writeErrors entry). */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Document = {},
    readonly labels: string[] = [],
  ) {
    super(message);
  }

  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: codeName(this.code), ...this.extra };
    if (this.labels.length) reply.errorLabels = this.labels;
    return reply;
  }

  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export function writeConflict(): CommandError {
  return new CommandError(
    ErrorCodes.WriteConflict,
    'Caused by :: Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    {},
    ['TransientTransactionError'],
  );
}

/** Turns anything thrown by mingo or our code into a command error with a stable code. */
export function toCommandError(e: unknown): CommandError {
  if (e instanceof CommandError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/operator|not supported|unknown|invalid/i.test(msg)) return new CommandError(ErrorCodes.BadValue, msg);
  return new CommandError(ErrorCodes.InternalError, msg);
}
