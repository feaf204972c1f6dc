import Joi from 'joi';
import * as path from 'node:path';
import { findRepoRoot } from './repo-root';

/**
 * The one place that knows environment variable names. Everything else receives the typed
 * {@link AppConfig} through DI, so tests can boot the app from a plain object.
 */
export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database:
    | { readonly mode: 'external'; readonly uri: string }
    | { readonly mode: 'embedded'; readonly dbPath: string; readonly port: number };
  readonly logLevel: string;
  /** auto: seed when the database has never been seeded; always: every start (idempotent); never. */
  readonly seedOnStart: 'auto' | 'always' | 'never';
  readonly bodyLimitBytes: number;
  readonly corsOrigins: readonly string[];
  readonly throttle: { readonly ttlMs: number; readonly limit: number };
  readonly webDistDir: string;
  readonly shutdownTimeoutMs: number;
}

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  HOST: Joi.string().hostname().default('0.0.0.0'),
  PORT: Joi.number().port().default(3000),
  DATA_DIR: Joi.string().default('./data'),
  // Not Joi's uri(): a replica-set string lists several host:port pairs, which RFC 3986 does not allow.
  MONGODB_URI: Joi.string()
    .pattern(/^mongodb(\+srv)?:\/\/[^\s/?#]+(\/[^\s?#]*)?(\?\S*)?$/, 'mongodb://host[:port][,host:port…][/db][?options]')
    .empty(''),
  EMBEDDED_DB_PORT: Joi.number().port().default(0),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  SEED_ON_START: Joi.string().valid('auto', 'always', 'never').default('auto'),
  BODY_LIMIT_BYTES: Joi.number().integer().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  CORS_ORIGINS: Joi.string().allow('').default(''),
  THROTTLE_TTL_MS: Joi.number().integer().min(1000).default(60_000),
  THROTTLE_LIMIT: Joi.number().integer().min(1).default(600),
  WEB_DIST_DIR: Joi.string().empty(''),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
})
  // Other variables (PATH, HOME, …) are the process's business, not ours.
  .unknown(true);

export class ConfigValidationError extends Error {
  constructor(readonly variables: string[], detail: string) {
    super(`配置错误 (invalid configuration): ${detail}`);
  }
}

export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const { value, error } = schema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    const variables = [...new Set(error.details.map((d) => String(d.path[0])))];
    throw new ConfigValidationError(variables, error.details.map((d) => d.message).join('; '));
  }
  const dataDir = path.resolve(cwd, value.DATA_DIR);
  return {
    env: value.NODE_ENV,
    host: value.HOST,
    port: value.PORT,
    dataDir,
    database: value.MONGODB_URI
      ? { mode: 'external', uri: value.MONGODB_URI }
      : { mode: 'embedded', dbPath: path.join(dataDir, 'db'), port: value.EMBEDDED_DB_PORT },
    logLevel: value.LOG_LEVEL,
    seedOnStart: value.SEED_ON_START,
    bodyLimitBytes: value.BODY_LIMIT_BYTES,
    corsOrigins: value.CORS_ORIGINS.split(',').map((s: string) => s.trim()).filter(Boolean),
    throttle: { ttlMs: value.THROTTLE_TTL_MS, limit: value.THROTTLE_LIMIT },
    webDistDir: value.WEB_DIST_DIR ? path.resolve(cwd, value.WEB_DIST_DIR) : path.join(findRepoRoot(), 'apps/web/dist'),
    shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS,
  };
}
