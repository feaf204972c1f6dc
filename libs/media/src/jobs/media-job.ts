import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobPhase = 'queued' | 'probing' | 'packaging' | 'storing' | 'done';

export interface JobFailure {
  code: string;
  message: string;
  details?: unknown;
}

/** A packaging job: one uploaded file → one encrypted HLS rendition of one lesson. */
export interface MediaJob {
  id: string;
  lessonId: string;
  /** The finished tus upload on local disk. */
  uploadPath: string;
  uploadId: string;
  fileName?: string;
  status: JobStatus;
  phase: JobPhase;
  /** 0–100 */
  progress: number;
  attempts: number;
  maxAttempts: number;
  mode?: 'remux' | 'transcode';
  error?: JobFailure;
  renditionId?: string;
  durationSeconds?: number;
  /** SHA-256 of the uploaded file as received (checked against the client's). */
  sourceSha256?: string;
  createdAt: Date;
  updatedAt: Date;
}

@Schema({ collection: 'media_jobs', timestamps: true })
export class MediaJobDoc {
  @Prop({ required: true, index: true }) lessonId!: string;
  @Prop({ required: true }) uploadPath!: string;
  @Prop({ required: true }) uploadId!: string;
  @Prop() fileName?: string;
  // 'recovering' is the brief claim while a stale job is being requeued or failed.
  @Prop({ required: true, enum: [...JOB_STATUSES, 'recovering'], index: true }) status!: string;
  @Prop({ required: true }) phase!: string;
  @Prop({ default: 0 }) progress!: number;
  @Prop({ default: 0 }) attempts!: number;
  @Prop({ required: true }) maxAttempts!: number;
  @Prop() mode?: string;
  @Prop(raw({ _id: false, code: String, message: String, details: Object })) error?: JobFailure;
  @Prop() renditionId?: string;
  @Prop() durationSeconds?: number;
  @Prop() sourceSha256?: string;
  /** Which process runs it, and when it last proved alive; a stale heartbeat means the process died. */
  @Prop() owner?: string;
  @Prop() heartbeatAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}

export const MediaJobSchema = SchemaFactory.createForClass(MediaJobDoc);
MediaJobSchema.index({ status: 1, createdAt: 1 });
type Lean = MediaJobDoc & { _id: Types.ObjectId };

function toJob(d: Lean): MediaJob {
  return {
    id: d._id.toHexString(),
    lessonId: d.lessonId,
    uploadPath: d.uploadPath,
    uploadId: d.uploadId,
    fileName: d.fileName ?? undefined,
    status: d.status as JobStatus,
    phase: d.phase as JobPhase,
    progress: d.progress,
    attempts: d.attempts,
    maxAttempts: d.maxAttempts,
    mode: (d.mode as MediaJob['mode']) ?? undefined,
    error: d.error?.code ? d.error : undefined,
    renditionId: d.renditionId ?? undefined,
    durationSeconds: d.durationSeconds ?? undefined,
    sourceSha256: d.sourceSha256 ?? undefined,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** The durable queue: state lives in the database so any process can pick up, and a dead one's work is found. */
@Injectable()
export class MediaJobRepository {
  constructor(@InjectModel(MediaJobDoc.name) private readonly model: Model<MediaJobDoc>) {}

  /** An id for a job about to be queued, so the lesson can name its job before any runner sees it. */
  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  /** `sourceSha256`: the upload's hash when it was computed as the bytes arrived. */
  async enqueue(job: {
    id?: string;
    lessonId: string;
    uploadPath: string;
    uploadId: string;
    fileName?: string;
    sourceSha256?: string;
    maxAttempts: number;
  }): Promise<MediaJob> {
    const { id, ...fields } = job;
    const doc = await this.model.create({ ...(id ? { _id: new Types.ObjectId(id) } : {}), ...fields, status: 'queued', phase: 'queued', progress: 0, attempts: 0 });
    return toJob(doc.toObject() as Lean);
  }

  async findById(id: string): Promise<MediaJob | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const d = await this.model.findById(id).lean<Lean>();
    return d ? toJob(d) : undefined;
  }

  async listByLesson(lessonId: string, limit = 20): Promise<MediaJob[]> {
    const docs = await this.model.find({ lessonId }).sort({ createdAt: -1 }).limit(limit).lean<Lean[]>();
    return docs.map(toJob);
  }

  /** Atomically takes the oldest queued job: two processes never get the same one. */
  async claim(owner: string, now: Date): Promise<MediaJob | undefined> {
    const d = await this.model
      .findOneAndUpdate(
        { status: 'queued' },
        { $set: { status: 'running', owner, heartbeatAt: now, phase: 'probing', progress: 0 }, $inc: { attempts: 1 } },
        { sort: { createdAt: 1 }, returnDocument: 'after' },
      )
      .lean<Lean>();
    return d ? toJob(d) : undefined;
  }

  /** Progress doubles as the heartbeat; refused (false) when the job is no longer ours. */
  async progress(id: string, owner: string, fields: { phase?: JobPhase; progress?: number; mode?: string }, now: Date): Promise<boolean> {
    const res = await this.model.updateOne({ _id: new Types.ObjectId(id), owner, status: 'running' }, { $set: { ...fields, heartbeatAt: now } });
    return res.matchedCount === 1;
  }

  async succeed(id: string, owner: string, result: { renditionId: string; durationSeconds: number; sourceSha256: string }): Promise<MediaJob | undefined> {
    return this.finish(id, owner, { status: 'succeeded', phase: 'done', progress: 100, ...result });
  }

  async fail(id: string, owner: string, error: JobFailure): Promise<MediaJob | undefined> {
    return this.finish(id, owner, { status: 'failed', phase: 'done', error });
  }

  /** Back to the queue after a transient failure, keeping the reason of the last attempt. */
  async requeue(id: string, owner: string, error: JobFailure): Promise<MediaJob | undefined> {
    return this.finish(id, owner, { status: 'queued', phase: 'queued', progress: 0, error });
  }

  /**
   * Jobs whose process stopped sending heartbeats (crashed, killed, machine restarted): retried
   * while attempts remain, otherwise failed with the reason. Never left "running".
   */
  async recoverStale(before: Date, failure: JobFailure): Promise<{ requeued: MediaJob[]; failed: MediaJob[] }> {
    const requeued: MediaJob[] = [];
    const failed: MediaJob[] = [];
    for (;;) {
      const d = await this.model
        .findOneAndUpdate(
          { status: { $in: ['running', 'recovering'] }, heartbeatAt: { $lt: before } },
          { $set: { status: 'recovering' } },
          { returnDocument: 'after' },
        )
        .lean<Lean>();
      if (!d) break;
      const exhausted = d.attempts >= d.maxAttempts;
      const next = await this.model
        .findOneAndUpdate(
          { _id: d._id, status: 'recovering' },
          exhausted
            ? { $set: { status: 'failed', phase: 'done', error: failure }, $unset: { owner: '' } }
            : { $set: { status: 'queued', phase: 'queued', progress: 0, error: { code: 'JOB_INTERRUPTED', message: '处理进程中断，已自动重试' } }, $unset: { owner: '' } },
          { returnDocument: 'after' },
        )
        .lean<Lean>();
      if (next) (exhausted ? failed : requeued).push(toJob(next));
    }
    return { requeued, failed };
  }

  private async finish(id: string, owner: string, set: Record<string, unknown>): Promise<MediaJob | undefined> {
    const d = await this.model
      .findOneAndUpdate({ _id: new Types.ObjectId(id), owner, status: 'running' }, { $set: set, $unset: { owner: '' } }, { returnDocument: 'after' })
      .lean<Lean>();
    return d ? toJob(d) : undefined;
  }
}
