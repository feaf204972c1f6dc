import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { AppError } from '../errors/app-error';

type FileOptions = NonNullable<ConstructorParameters<typeof StreamableFile>[1]>;

/**
 * A streamed file whose stream may fail with an AppError before its first byte is sent — e.g. the
 * evidence store finding an image that no longer matches its record (a small image is one chunk,
 * held back until verified). That failure is answered like any other, with its status and body,
 * instead of StreamableFile's plain "400 Bad Request"; once bytes are out, StreamableFile's own
 * handling applies (the response is cut short, so the client never sees it complete).
 */
export function fileResponse(body: Readable, options: FileOptions): StreamableFile {
  const file = new StreamableFile(body, options);
  const fallback = file.errorHandler;
  return file.setErrorHandler((err, res) => {
    if (err instanceof AppError && !res.headersSent && !res.destroyed) {
      file.errorLogger(err);
      const r = res as unknown as Response;
      r.removeHeader('Content-Length');
      r.status(err.status).type('application/json').send(JSON.stringify(err.toBody()));
      return;
    }
    fallback(err, res);
  });
}
