import { PlatformErrors, PlatformErrorCode } from './error-codes';

/** The body of every failure, over HTTP and socket.io alike. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** A failure the client can act on. Thrown anywhere; the filters turn it into {@link ErrorBody}. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static of(code: PlatformErrorCode, details?: unknown, message?: string): AppError {
    const def = PlatformErrors[code];
    return new AppError(code, def.status, message ?? def.message, details);
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
