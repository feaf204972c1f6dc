import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { json } from 'body-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppConfig } from '../config/env';
import { AppConfigToken } from '../config/config.module';
import { AppError } from '../errors/app-error';
import { assertNoForbiddenKeys } from './body-guard';

/** Content types that carry their own parser (uploads) and are left to the route that accepts them. */
const PASSTHROUGH = [/^multipart\/form-data/i, /^application\/offset\+octet-stream/i];

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * JSON bodies parsed here rather than by Nest's built-in parser, so that a malformed, oversized or
 * mistyped body fails inside Nest and leaves through the one error filter, in the one shape.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(@Inject(AppConfigToken) config: AppConfig) {
    this.parse = json({ limit: config.bodyLimitBytes, strict: true, type: () => true });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (!hasBody(req)) return next();
    const type = req.headers['content-type'] ?? '';
    if (PASSTHROUGH.some((p) => p.test(type))) return next();
    if (!/^application\/(.+\+)?json\b/i.test(type)) throw AppError.of('UNSUPPORTED_MEDIA_TYPE', { expected: 'application/json' });
    await new Promise<void>((resolve, reject) => this.parse(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    assertNoForbiddenKeys(req.body);
    next();
  }
}
