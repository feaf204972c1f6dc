import { json } from 'body-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppConfig } from '../config/env';
import { AppError } from '../errors/app-error';
import { writeHttpError } from '../errors/exception.filters';
import { toAppError } from '../errors/to-app-error';
import { assertNoForbiddenKeys } from './body-guard';

/** Content types that carry their own parser (uploads) and are left to the route that accepts them. */
const PASSTHROUGH = [/^multipart\/form-data/i, /^application\/offset\+octet-stream/i];

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * JSON bodies are parsed here rather than by Nest's built-in parser, so that a malformed,
 * oversized or mistyped body is answered in the one error shape. A plain Express middleware
 * installed before the router: it runs for every path, matched routes or not.
 */
export function jsonBodyMiddleware(config: AppConfig): RequestHandler {
  const parse = json({ limit: config.bodyLimitBytes, strict: true, type: () => true });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    const type = req.headers['content-type'] ?? '';
    if (PASSTHROUGH.some((p) => p.test(type))) return next();
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      return writeHttpError(res, AppError.of('UNSUPPORTED_MEDIA_TYPE', { expected: 'application/json' }));
    }
    parse(req, res, (err?: unknown) => {
      try {
        if (err) throw err;
        assertNoForbiddenKeys(req.body);
      } catch (e) {
        return writeHttpError(res, toAppError(e));
      }
      next();
    });
  };
}
