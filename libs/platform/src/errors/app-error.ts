import { ErrorCatalog, PlatformErrors, PlatformErrorCode } from './error-codes';

export type { ErrorCatalog };

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
    return platformError(code, details, { message });
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export interface ErrorExtras {
  headers?: Record<string, string>;
  /** Replaces the catalog's message when the situation needs a more specific one. */
  message?: string;
}

/** One typed constructor per context catalog, so every context builds its errors the same way. */
export function errorFactory<C extends ErrorCatalog>(catalog: C) {
  return (code: keyof C & string, details?: unknown, extras: ErrorExtras = {}): AppError => {
    const def = catalog[code];
    return new AppError(code, def.status, extras.message ?? def.message, details, extras.headers ?? {});
  };
}

const platformError = errorFactory(PlatformErrors);
