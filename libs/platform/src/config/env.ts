import Joi from 'joi';
import * as path from 'node:path';
import { JOB_NAMES, JobName } from '../jobs/job-names';
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
  readonly storage: StorageConfig;
  readonly media: MediaConfig;
  readonly identity: IdentityConfig;
  readonly face: FaceConfig;
  readonly study: StudyConfig;
  readonly offline: OfflineConfig;
  readonly evidence: EvidenceConfig;
  readonly oversight: OversightConfig;
  readonly jobs: JobsConfig;
  readonly audit: AuditConfig;
}

/** The audit trail's chain partitions and checkpoint signing key (unset: a development key under dataDir). */
export interface AuditConfig {
  /** This process's own chains (`<writer>.<shard>`); replicas of one app set distinct ids. */
  readonly writer: string;
  readonly partitions: number;
  /** PKCS#8 PEM Ed25519 private key. */
  readonly signingKey?: string;
}

/** Oversight signals, queue weights and refresh cadence (libs/oversight validates the weights' names). */
export interface OversightConfig {
  readonly sampleRate: number;
  readonly sampleSeed: string;
  readonly borderlineMargin: number;
  readonly maxDailyHours: number;
  readonly deviceMinTrainees: number;
  readonly deviceWindowMinutes: number;
  readonly minRefusals: number;
  /** `code=weight,…` overriding the default weights. */
  readonly weights: string;
  readonly refreshMinutes: number;
  readonly refreshWindowDays: number;
  readonly claimMinutes: number;
}

/** Which background jobs this process claims and runs (the others only enqueue them). */
export interface JobsConfig {
  /** From JOBS_RUN: `all` → every job, `none` → empty, else the listed names. */
  readonly run: readonly JobName[];
}

/**
 * Online-study limits and check cadence. Values only: libs/study validates them again against its
 * own ranges (creditSettings / checkSettings), so a bad combination stops the start with its name.
 */
export interface StudyConfig {
  readonly heartbeatSeconds: number;
  readonly jitterSeconds: number;
  readonly maxPlaybackRate: number;
  readonly seekToleranceSeconds: number;
  readonly faceIntervalMinSeconds: number;
  readonly faceIntervalMaxSeconds: number;
  readonly faceWindowSeconds: number;
  /** Failed face checks in a row (after their retries; a missed check counts) that end the session. */
  readonly faceMaxFailures: number;
  readonly promptIntervalMinSeconds: number;
  readonly promptIntervalMaxSeconds: number;
  readonly promptWindowSeconds: number;
  /** A session with no heartbeat for this long is ended (abandoned) and settled. */
  readonly idleTimeoutSeconds: number;
  /** Largest accepted capture image. */
  readonly maxCaptureBytes: number;
  /** Credit no passed check vouches for at a session's end: voided (strict) or kept. */
  readonly unverifiedCredit: 'void' | 'keep';
}

/** Offline classes: when a classroom kiosk takes sign-ins and sign-outs around a session's scheduled time. */
export interface OfflineConfig {
  /** Sign-in is taken from this long before a session's start until this long after it. */
  readonly signInWindowMinutes: number;
  /** Sign-out (and the kiosk credential) last this long after the scheduled end. */
  readonly signOutGraceMinutes: number;
  /** A recognition this soon after someone's sign-in is them still at the camera, not their sign-out. */
  readonly repeatGuardSeconds: number;
  /** Largest accepted kiosk camera frame. */
  readonly maxCaptureBytes: number;
}

/**
 * Evidence keeping and session-recording checks. Values only: libs/evidence turns them into its
 * settings (recording checks are pure functions of these).
 */
export interface EvidenceConfig {
  /** Years evidence is kept after its session; never below the legal five (002_… §四(四)). */
  readonly retentionYears: number;
  /** Share of the scheduled time the recordings must cover (0.95 = 95 %). */
  readonly minCoverage: number;
  /** A hole between two files longer than this is reported (and fails the check). */
  readonly maxGapSeconds: number;
  /** "Clear": the shorter side of the picture at least this many pixels. */
  readonly minHeight: number;
  /** "Smooth": at least this many frames per second. */
  readonly minFps: number;
  /** Face analysis samples one frame every this many seconds of recording. */
  readonly faceSampleSeconds: number;
  /** Flag a session when fewer than this share of its signed-in trainees are seen. */
  readonly minSeenRatio: number;
  /** Integrity sweep read rate cap, MB/s. */
  readonly sweepMbPerSecond: number;
  /** Hours between integrity sweeps (and expiry runs). */
  readonly sweepIntervalHours: number;
  /** Largest recording file (tus Upload-Length). */
  readonly maxRecordingBytes: number;
}

/** Where blobs (HLS renditions, later evidence) live: a directory, or an S3 bucket in production. */
export type StorageConfig =
  | { readonly driver: 'local'; readonly dir: string }
  | {
      readonly driver: 's3';
      readonly bucket: string;
      readonly region: string;
      readonly endpoint?: string;
      readonly forcePathStyle: boolean;
      readonly prefix: string;
      /** Unset → the SDK's default credential chain (instance role, …). */
      readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
      /** Local spool for streamed writes before the single atomic PUT. */
      readonly spoolDir: string;
    };

export interface MediaConfig {
  /** Largest accepted upload (tus Upload-Length). */
  readonly maxUploadBytes: number;
  /** Longest accepted video, decided by ffprobe. */
  readonly maxDurationSeconds: number;
  /** Lifetime of signed playlist / segment / key URLs. */
  readonly signedUrlTtlSeconds: number;
  /** Master secret for HLS key wrapping and URL signing; unset → `<dataDir>/media-secret.key` (development). */
  readonly secret?: string;
  readonly segmentSeconds: number;
  /** Attempts before an interrupted or failing packaging job is marked failed. */
  readonly jobMaxAttempts: number;
  /** Uploads in progress (tus) and packaging scratch space. */
  readonly workDir: string;
}

/** Face engine: worker pool, queue bound, match threshold, tfjs backend, start-up. */
export interface FaceConfig {
  /** 0 = one worker per core. */
  readonly poolSize: number;
  /** 0 = 4 × pool size. */
  readonly queueLimit: number;
  /** Unset = the engine's measured default. */
  readonly threshold?: number;
  readonly backend: 'auto' | 'tensorflow' | 'wasm';
  /** eager: load the models at start-up (in the background); lazy: at the first face request. */
  readonly start: 'eager' | 'lazy';
}

/** Identity settings; unset secrets fall back to `<dataDir>/secrets.json` (development). */
export interface IdentityConfig {
  readonly jwtSecret?: string;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  readonly sessionTtlSeconds: number;
  /** How long a socket may reuse its last account/session check; revocations in the same process apply at once. */
  readonly socketRecheckSeconds: number;
  readonly lockout: { readonly maxFailures: number; readonly windowMs: number; readonly lockMs: number };
  /** Field-encryption keys by id (32 bytes each, base64); the current one encrypts new writes. */
  readonly piiKeys?: Readonly<Record<string, string>>;
  readonly piiCurrentKeyId?: string;
  readonly piiBlindIndexKey?: string;
  readonly demoMustChangePassword: boolean;
}

const base64Key32 = Joi.string().base64().length(44);

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
  STORAGE_DRIVER: Joi.string().valid('local', 's3').default('local'),
  STORAGE_LOCAL_DIR: Joi.string().empty(''),
  S3_BUCKET: Joi.string().empty('').when('STORAGE_DRIVER', { is: 's3', then: Joi.required() }),
  S3_REGION: Joi.string().empty('').default('us-east-1'),
  S3_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }).empty(''),
  S3_FORCE_PATH_STYLE: Joi.boolean().default(false),
  S3_PREFIX: Joi.string().allow('').default(''),
  S3_ACCESS_KEY_ID: Joi.string().empty(''),
  S3_SECRET_ACCESS_KEY: Joi.string().empty('').when('S3_ACCESS_KEY_ID', { is: Joi.exist(), then: Joi.required() }),
  MEDIA_MAX_UPLOAD_BYTES: Joi.number().integer().min(1024).default(8 * 1024 ** 3),
  MEDIA_MAX_DURATION_SECONDS: Joi.number().integer().min(1).default(4 * 3600),
  MEDIA_SIGNED_URL_TTL_SECONDS: Joi.number().integer().min(10).max(24 * 3600).default(600),
  MEDIA_SECRET: Joi.string().min(32).empty(''),
  MEDIA_SEGMENT_SECONDS: Joi.number().integer().min(2).max(20).default(6),
  MEDIA_JOB_MAX_ATTEMPTS: Joi.number().integer().min(1).max(10).default(2),
  // Replaced by JOBS_RUN: refused rather than ignored, so a process meant to run no jobs does not run them.
  MEDIA_RUN_JOBS: Joi.any().forbidden().messages({ 'any.unknown': 'MEDIA_RUN_JOBS 已由 JOBS_RUN 取代 (replaced by JOBS_RUN): JOBS_RUN=none 或 JOBS_RUN=study.sweep' }),
  MEDIA_WORK_DIR: Joi.string().empty(''),
  AUTH_JWT_SECRET: Joi.string().min(32).empty(''),
  AUTH_ACCESS_TTL_S: Joi.number().integer().min(60).max(24 * 3600).default(900),
  AUTH_REFRESH_TTL_S: Joi.number().integer().min(300).default(7 * 86_400),
  AUTH_SESSION_TTL_S: Joi.number().integer().min(300).default(30 * 86_400),
  AUTH_SOCKET_RECHECK_S: Joi.number().integer().min(0).max(300).default(60),
  AUTH_LOCKOUT_MAX: Joi.number().integer().min(1).max(100).default(5),
  AUTH_LOCKOUT_WINDOW_MS: Joi.number().integer().min(1000).default(15 * 60_000),
  AUTH_LOCKOUT_MS: Joi.number().integer().min(1000).default(15 * 60_000),
  // id:base64 pairs, comma-separated: k1:AAAA…,k2:BBBB…
  PII_KEYS: Joi.string()
    .pattern(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, 'id:base64(32 bytes),…')
    .empty(''),
  PII_CURRENT_KEY_ID: Joi.string().empty('').when('PII_KEYS', { is: Joi.exist(), then: Joi.required() }),
  PII_BLIND_INDEX_KEY: base64Key32.empty(''),
  SEED_DEMO_MUST_CHANGE_PASSWORD: Joi.boolean().default(true),
  FACE_POOL_SIZE: Joi.number().integer().min(0).max(64).default(0),
  FACE_QUEUE_LIMIT: Joi.number().integer().min(0).max(10_000).default(0),
  FACE_MATCH_THRESHOLD: Joi.number().greater(0).less(2).empty(''),
  FACE_BACKEND: Joi.string().valid('auto', 'tensorflow', 'wasm').default('auto'),
  FACE_ENGINE_START: Joi.string().valid('eager', 'lazy').default('eager'),
  STUDY_HEARTBEAT_SECONDS: Joi.number().integer().min(1).max(300).default(15),
  STUDY_JITTER_SECONDS: Joi.number().min(0).max(30).default(2),
  STUDY_MAX_PLAYBACK_RATE: Joi.number().min(0.5).max(4).default(1),
  STUDY_SEEK_TOLERANCE_SECONDS: Joi.number().min(0).max(60).default(2),
  STUDY_FACE_INTERVAL_MIN_SECONDS: Joi.number().integer().min(10).max(86_400).default(300),
  STUDY_FACE_INTERVAL_MAX_SECONDS: Joi.number().integer().min(10).max(86_400).default(900),
  STUDY_FACE_WINDOW_SECONDS: Joi.number().integer().min(5).max(600).default(60),
  STUDY_FACE_MAX_FAILURES: Joi.number().integer().min(1).max(50).default(5),
  STUDY_PROMPT_INTERVAL_MIN_SECONDS: Joi.number().integer().min(10).max(86_400).default(600),
  STUDY_PROMPT_INTERVAL_MAX_SECONDS: Joi.number().integer().min(10).max(86_400).default(1500),
  STUDY_PROMPT_WINDOW_SECONDS: Joi.number().integer().min(5).max(600).default(60),
  STUDY_IDLE_TIMEOUT_SECONDS: Joi.number().integer().min(30).max(86_400).default(600),
  STUDY_MAX_CAPTURE_BYTES: Joi.number().integer().min(16 * 1024).max(10 * 1024 * 1024).default(2 * 1024 * 1024),
  STUDY_UNVERIFIED_CREDIT: Joi.string().valid('void', 'keep').default('void'),
  OFFLINE_SIGNIN_WINDOW_MINUTES: Joi.number().integer().min(1).max(240).default(30),
  OFFLINE_SIGNOUT_GRACE_MINUTES: Joi.number().integer().min(0).max(240).default(30),
  OFFLINE_REPEAT_GUARD_SECONDS: Joi.number().integer().min(0).max(3600).default(60),
  OFFLINE_MAX_CAPTURE_BYTES: Joi.number().integer().min(16 * 1024).max(10 * 1024 * 1024).default(2 * 1024 * 1024),
  OVERSIGHT_SAMPLE_RATE: Joi.number().min(0).max(1).default(0.02),
  OVERSIGHT_SAMPLE_SEED: Joi.string().min(1).max(200).default('oversight'),
  OVERSIGHT_BORDERLINE_MARGIN: Joi.number().min(0).max(1).default(0.05),
  OVERSIGHT_MAX_DAILY_HOURS: Joi.number().min(1).max(24).default(10),
  OVERSIGHT_DEVICE_MIN_TRAINEES: Joi.number().integer().min(2).max(1000).default(3),
  OVERSIGHT_DEVICE_WINDOW_MINUTES: Joi.number().integer().min(1).max(7 * 24 * 60).default(120),
  OVERSIGHT_MIN_REFUSALS: Joi.number().integer().min(1).max(100_000).default(10),
  OVERSIGHT_WEIGHTS: Joi.string().allow('').pattern(/^([a-z-]+=\d+(\.\d+)?)(,[a-z-]+=\d+(\.\d+)?)*$|^$/).default(''),
  OVERSIGHT_REFRESH_MINUTES: Joi.number().integer().min(1).max(24 * 60).default(60),
  OVERSIGHT_REFRESH_WINDOW_DAYS: Joi.number().integer().min(1).max(3650).default(30),
  OVERSIGHT_CLAIM_MINUTES: Joi.number().integer().min(1).max(24 * 60).default(60),
  AUDIT_PARTITIONS: Joi.number().integer().min(1).max(256).default(16),
  AUDIT_WRITER: Joi.string().pattern(/^[a-z][a-z0-9-]{0,31}$/).default('api'),
  // PEM in one line is easier to pass through an environment: literal "\n" are turned back into newlines.
  AUDIT_SIGNING_KEY: Joi.string().empty('').pattern(/-----BEGIN PRIVATE KEY-----/, 'PKCS#8 PEM'),
  EVIDENCE_RETENTION_YEARS: Joi.number().integer().min(5).max(100).default(5),
  EVIDENCE_MIN_COVERAGE: Joi.number().min(0.5).max(1).default(0.95),
  EVIDENCE_MAX_GAP_SECONDS: Joi.number().min(0).max(3600).default(120),
  EVIDENCE_MIN_HEIGHT: Joi.number().integer().min(120).max(4320).default(480),
  EVIDENCE_MIN_FPS: Joi.number().min(1).max(120).default(15),
  EVIDENCE_FACE_SAMPLE_SECONDS: Joi.number().min(0.1).max(600).default(10),
  EVIDENCE_MIN_SEEN_RATIO: Joi.number().min(0).max(1).default(0.8),
  EVIDENCE_SWEEP_MB_PER_SECOND: Joi.number().min(1).max(10_000).default(50),
  EVIDENCE_SWEEP_INTERVAL_HOURS: Joi.number().min(1).max(24 * 90).default(24),
  EVIDENCE_MAX_RECORDING_BYTES: Joi.number().integer().min(1024 * 1024).default(20 * 1024 ** 3),
  JOBS_RUN: Joi.string()
    .trim()
    .default('all')
    .custom((v: string, helpers) => {
      if (v === 'all' || v === 'none') return v;
      const names = v.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !(JOB_NAMES as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) return helpers.message({ custom: `JOBS_RUN 应为 all、none 或以逗号分隔的任务名 (${JOB_NAMES.join(', ')})；未知: ${unknown.join(', ') || v}` });
      return names.join(',');
    }),
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
    storage:
      value.STORAGE_DRIVER === 's3'
        ? {
            driver: 's3',
            bucket: value.S3_BUCKET,
            region: value.S3_REGION,
            endpoint: value.S3_ENDPOINT,
            forcePathStyle: value.S3_FORCE_PATH_STYLE,
            prefix: value.S3_PREFIX,
            credentials: value.S3_ACCESS_KEY_ID
              ? { accessKeyId: value.S3_ACCESS_KEY_ID, secretAccessKey: value.S3_SECRET_ACCESS_KEY }
              : undefined,
            spoolDir: path.join(dataDir, 'spool'),
          }
        : { driver: 'local', dir: value.STORAGE_LOCAL_DIR ? path.resolve(cwd, value.STORAGE_LOCAL_DIR) : path.join(dataDir, 'blobs') },
    media: {
      maxUploadBytes: value.MEDIA_MAX_UPLOAD_BYTES,
      maxDurationSeconds: value.MEDIA_MAX_DURATION_SECONDS,
      signedUrlTtlSeconds: value.MEDIA_SIGNED_URL_TTL_SECONDS,
      secret: value.MEDIA_SECRET,
      segmentSeconds: value.MEDIA_SEGMENT_SECONDS,
      jobMaxAttempts: value.MEDIA_JOB_MAX_ATTEMPTS,
      workDir: value.MEDIA_WORK_DIR ? path.resolve(cwd, value.MEDIA_WORK_DIR) : path.join(dataDir, 'media-work'),
    },
    identity: {
      jwtSecret: value.AUTH_JWT_SECRET,
      accessTtlSeconds: value.AUTH_ACCESS_TTL_S,
      refreshTtlSeconds: value.AUTH_REFRESH_TTL_S,
      sessionTtlSeconds: value.AUTH_SESSION_TTL_S,
      socketRecheckSeconds: value.AUTH_SOCKET_RECHECK_S,
      lockout: { maxFailures: value.AUTH_LOCKOUT_MAX, windowMs: value.AUTH_LOCKOUT_WINDOW_MS, lockMs: value.AUTH_LOCKOUT_MS },
      piiKeys: value.PII_KEYS
        ? Object.fromEntries((value.PII_KEYS as string).split(',').map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]))
        : undefined,
      piiCurrentKeyId: value.PII_CURRENT_KEY_ID,
      piiBlindIndexKey: value.PII_BLIND_INDEX_KEY,
      demoMustChangePassword: value.SEED_DEMO_MUST_CHANGE_PASSWORD,
    },
    face: {
      poolSize: value.FACE_POOL_SIZE,
      queueLimit: value.FACE_QUEUE_LIMIT,
      threshold: value.FACE_MATCH_THRESHOLD,
      backend: value.FACE_BACKEND,
      start: value.FACE_ENGINE_START,
    },
    study: {
      heartbeatSeconds: value.STUDY_HEARTBEAT_SECONDS,
      jitterSeconds: value.STUDY_JITTER_SECONDS,
      maxPlaybackRate: value.STUDY_MAX_PLAYBACK_RATE,
      seekToleranceSeconds: value.STUDY_SEEK_TOLERANCE_SECONDS,
      faceIntervalMinSeconds: value.STUDY_FACE_INTERVAL_MIN_SECONDS,
      faceIntervalMaxSeconds: value.STUDY_FACE_INTERVAL_MAX_SECONDS,
      faceWindowSeconds: value.STUDY_FACE_WINDOW_SECONDS,
      faceMaxFailures: value.STUDY_FACE_MAX_FAILURES,
      promptIntervalMinSeconds: value.STUDY_PROMPT_INTERVAL_MIN_SECONDS,
      promptIntervalMaxSeconds: value.STUDY_PROMPT_INTERVAL_MAX_SECONDS,
      promptWindowSeconds: value.STUDY_PROMPT_WINDOW_SECONDS,
      idleTimeoutSeconds: value.STUDY_IDLE_TIMEOUT_SECONDS,
      maxCaptureBytes: value.STUDY_MAX_CAPTURE_BYTES,
      unverifiedCredit: value.STUDY_UNVERIFIED_CREDIT,
    },
    offline: {
      signInWindowMinutes: value.OFFLINE_SIGNIN_WINDOW_MINUTES,
      signOutGraceMinutes: value.OFFLINE_SIGNOUT_GRACE_MINUTES,
      repeatGuardSeconds: value.OFFLINE_REPEAT_GUARD_SECONDS,
      maxCaptureBytes: value.OFFLINE_MAX_CAPTURE_BYTES,
    },
    evidence: {
      retentionYears: value.EVIDENCE_RETENTION_YEARS,
      minCoverage: value.EVIDENCE_MIN_COVERAGE,
      maxGapSeconds: value.EVIDENCE_MAX_GAP_SECONDS,
      minHeight: value.EVIDENCE_MIN_HEIGHT,
      minFps: value.EVIDENCE_MIN_FPS,
      faceSampleSeconds: value.EVIDENCE_FACE_SAMPLE_SECONDS,
      minSeenRatio: value.EVIDENCE_MIN_SEEN_RATIO,
      sweepMbPerSecond: value.EVIDENCE_SWEEP_MB_PER_SECOND,
      sweepIntervalHours: value.EVIDENCE_SWEEP_INTERVAL_HOURS,
      maxRecordingBytes: value.EVIDENCE_MAX_RECORDING_BYTES,
    },
    oversight: {
      sampleRate: value.OVERSIGHT_SAMPLE_RATE,
      sampleSeed: value.OVERSIGHT_SAMPLE_SEED,
      borderlineMargin: value.OVERSIGHT_BORDERLINE_MARGIN,
      maxDailyHours: value.OVERSIGHT_MAX_DAILY_HOURS,
      deviceMinTrainees: value.OVERSIGHT_DEVICE_MIN_TRAINEES,
      deviceWindowMinutes: value.OVERSIGHT_DEVICE_WINDOW_MINUTES,
      minRefusals: value.OVERSIGHT_MIN_REFUSALS,
      weights: value.OVERSIGHT_WEIGHTS,
      refreshMinutes: value.OVERSIGHT_REFRESH_MINUTES,
      refreshWindowDays: value.OVERSIGHT_REFRESH_WINDOW_DAYS,
      claimMinutes: value.OVERSIGHT_CLAIM_MINUTES,
    },
    jobs: { run: jobsToRun(value.JOBS_RUN) },
    audit: { writer: value.AUDIT_WRITER, partitions: value.AUDIT_PARTITIONS, signingKey: value.AUDIT_SIGNING_KEY?.replace(/\\n/g, '\n') },
  };
}

function jobsToRun(setting: string): readonly JobName[] {
  if (setting === 'all') return JOB_NAMES;
  if (setting === 'none') return [];
  return [...new Set(setting.split(','))] as JobName[];
}
