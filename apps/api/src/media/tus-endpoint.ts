import { Logger } from '@nestjs/common';
import type { Server, Upload } from '@tus/server';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthUser, Role, SocketAuthenticator } from '@app/identity';
import { AppError, toAppError } from '@app/platform';
import { loadTus } from './tus-loader';
import { UploadHashes } from './upload-hashes';

/** tus answers a thrown `{ status_code, body }` as the HTTP response; the body is our error shape. */
export function tusError(error: AppError): { status_code: number; body: string } {
  return { status_code: error.status, body: JSON.stringify(error.toBody()) };
}

const UPLOAD_EXPIRY_MS = 7 * 24 * 3600 * 1000;
const CLEANUP_INTERVAL_MS = 3600 * 1000;
/** An upload idle this long loses its in-memory hash; resuming it rebuilds the hash from disk. */
const HASH_IDLE_MS = 24 * 3600 * 1000;

/** A finished upload as the endpoint hands it over: on local disk, with its inline SHA-256 when it can be vouched for. */
export interface FinishedUpload {
  upload: Upload;
  path: string;
  sha256?: string;
}

export interface TusEndpointOptions {
  logger: string;
  directory: string;
  /** Full request path (global prefix included). */
  path: string;
  maxSize: number;
  roles: readonly Role[];
  exposedHeaders?: string[];
  unavailable: () => AppError;
  /**
   * Every request naming an existing upload (HEAD, PATCH, DELETE) after the role check: refuse
   * (throw an AppError) when this user may not touch it — tenancy of uploads in progress.
   */
  admit?: (user: AuthUser, upload: Upload) => Promise<void> | void;
  /** Creation: validate the metadata (throw an AppError); the metadata returned replaces the client's. */
  create: (user: AuthUser, upload: Upload) => Promise<Upload['metadata'] | void>;
  /** The last byte is in: the response headers for the client. */
  finish: (user: AuthUser, file: FinishedUpload) => Promise<Record<string, string>>;
}

/**
 * A resumable upload endpoint (tus 1.0 via @tus/server) straight to disk — never buffered whole —
 * with the role check in onIncomingRequest (creation and each PATCH alike) and every byte hashed
 * on its way to disk, so whoever takes the finished file gets its SHA-256 without reading it again.
 * Lessons and session recordings each have one.
 */
export class TusEndpoint {
  private readonly logger: Logger;
  private server?: Server;
  private readonly hashes: UploadHashes;
  /** Who sent each tus request (checked in onIncomingRequest): the actor of the upload it creates or finishes. */
  private readonly senders = new WeakMap<object, AuthUser>();
  private cleanup?: NodeJS.Timeout;

  constructor(
    private readonly sockets: SocketAuthenticator,
    private readonly o: TusEndpointOptions,
  ) {
    this.logger = new Logger(o.logger);
    this.hashes = new UploadHashes((id) => path.join(o.directory, id));
  }

  start(): void {
    fs.mkdirSync(this.o.directory, { recursive: true });
    // Uploads abandoned for longer than the expiry (7 days) are removed, bytes and metadata.
    this.cleanup = setInterval(() => {
      this.server?.cleanUpExpiredUploads().catch((e: Error) => this.logger.warn(`清理过期上传失败: ${e.message}`));
      this.hashes.prune(HASH_IDLE_MS);
    }, CLEANUP_INTERVAL_MS);
    this.cleanup.unref();
  }

  stop(): void {
    if (this.cleanup) clearInterval(this.cleanup);
  }

  /**
   * Built on first use: @tus/server is ESM-only, which Node loads but jest's module registry does
   * not, so an API started inside jest (most e2e suites) still boots; upload tests run the API as
   * a real process.
   */
  private tus(): Server {
    if (this.server) return this.server;
    const { Server, FileStore } = loadTus();
    const datastore = new FileStore({ directory: this.o.directory, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
    const write = datastore.write.bind(datastore);
    datastore.write = (body, id, offset) => this.hashes.write(id, offset, body, (hashed) => write(hashed, id, offset));
    this.server = new Server({
      path: this.o.path,
      datastore,
      maxSize: this.o.maxSize,
      relativeLocation: true,
      exposedHeaders: this.o.exposedHeaders,
      onIncomingRequest: async (req, uploadId) => {
        const header = req.headers.get('authorization') ?? '';
        const token = /^Bearer (.+)$/i.exec(header)?.[1];
        try {
          const user = await this.sockets.authenticate({ auth: { token } }, this.o.roles);
          if (uploadId && this.o.admit) {
            const upload = await datastore.getUpload(uploadId).catch(() => undefined);
            // An unknown id is left to tus (404); a known one must be the sender's to touch.
            if (upload) await this.o.admit(user, upload);
          }
          this.senders.set(req, user);
        } catch (e) {
          throw tusError(toAppError(e));
        }
      },
      onUploadCreate: async (req, upload) => {
        const metadata = await this.guard(() => this.o.create(this.sender(req), upload));
        return metadata ? { metadata } : {};
      },
      onUploadFinish: async (req, upload) => {
        const file: FinishedUpload = { upload, path: path.join(this.o.directory, upload.id), sha256: upload.size === undefined ? undefined : this.hashes.take(upload.id, upload.size) };
        return { headers: await this.guard(() => this.o.finish(this.sender(req), file)) };
      },
    });
    return this.server;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let server: Server;
    try {
      server = this.tus();
    } catch (e) {
      this.logger.error(`上传服务不可用 (tus unavailable): ${(e as Error).message}`);
      throw this.o.unavailable();
    }
    await server.handle(req, res);
  }

  /** onIncomingRequest admitted this very request; without its sender there is nobody to record. */
  private sender(req: object): AuthUser {
    const user = this.senders.get(req);
    if (!user) throw this.o.unavailable();
    return user;
  }

  private async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof AppError) throw tusError(e);
      throw e;
    }
  }
}
