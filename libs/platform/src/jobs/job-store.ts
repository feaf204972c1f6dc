import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { isDuplicateKey } from '../errors/to-app-error';
import type { JobName, JobPayloads, JobResults } from './job-names';
import type { JobFailure, JobOutcome, JobRecord, JobStatus } from './job';

@Schema({ collection: 'jobs', timestamps: true, minimize: false })
export class JobDoc {
  @Prop({ required: true }) name!: string;
  @Prop({ type: Object, default: {} }) payload!: Record<string, unknown>;
  @Prop({ required: true, enum: ['queued', 'running', 'recovering', 'succeeded', 'failed', 'skipped'] }) status!: string;
  @Prop({ required: true }) runAt!: Date;
  @Prop({ default: 0 }) attempts!: number;
  @Prop({ required: true }) maxAttempts!: number;
  @Prop({ default: 0 }) progress!: number;
  @Prop({ type: Object, default: {} }) detail!: Record<string, unknown>;
  @Prop({ type: Object }) result?: Record<string, unknown>;
  @Prop(raw({ _id: false, code: String, message: String, details: Object })) error?: JobFailure;
  @Prop() skipReason?: string;
  /** Recurring jobs only: unique, so one document (and one run at a time) per recurring job. */
  @Prop() key?: string;
  @Prop() lastOutcome?: string;
  /** The process that holds the job, until when; a lease in the past means that process died. */
  @Prop() owner?: string;
  @Prop() leaseUntil?: Date;
  @Prop() finishedAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}

export const JobSchema = SchemaFactory.createForClass(JobDoc);
// The claim: queued and due, oldest due first. Stale recovery: running with a lease in the past.
JobSchema.index({ status: 1, runAt: 1 });
JobSchema.index({ status: 1, leaseUntil: 1 });
JobSchema.index({ name: 1, createdAt: -1 });
JobSchema.index({ key: 1 }, { unique: true, partialFilterExpression: { key: { $type: 'string' } } });
type Lean = JobDoc & { _id: Types.ObjectId };

function toRecord<N extends JobName>(d: Lean): JobRecord<N> {
  return {
    id: d._id.toHexString(),
    name: d.name as N,
    payload: (d.payload ?? {}) as JobPayloads[N],
    status: (d.status === 'recovering' ? 'running' : d.status) as JobStatus,
    attempts: d.attempts,
    maxAttempts: d.maxAttempts,
    progress: d.progress ?? 0,
    detail: d.detail ?? {},
    result: (d.result ?? undefined) as JobResults[N] | undefined,
    error: d.error?.code ? d.error : undefined,
    skipReason: d.skipReason ?? undefined,
    runAt: d.runAt,
    key: d.key ?? undefined,
    lastOutcome: (d.lastOutcome as JobRecord['lastOutcome']) ?? undefined,
    owner: d.owner ?? undefined,
    leaseUntil: d.leaseUntil ?? undefined,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    finishedAt: d.finishedAt ?? undefined,
  };
}

const after = { returnDocument: 'after' } as const;
/** The driver would store an undefined field as null; a payload reads back as it was given. */
const defined = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const oid = (id: string) => new Types.ObjectId(id);
/** What every end of an attempt clears: the process no longer holds the job. */
const release = { owner: '', leaseUntil: '' } as const;

/**
 * The durable queue: every job's state is a document, so any process can claim, a dead one's
 * work is found by its expired lease, and what happened stays readable. Every write of an attempt
 * is conditional on the claimant still holding the job.
 */
@Injectable()
export class JobStore {
  constructor(@InjectModel(JobDoc.name) private readonly model: Model<JobDoc>) {}

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: { id?: string; maxAttempts?: number; runAt?: Date } = {}): Promise<JobRecord<N>> {
    const doc = await this.model.create({
      ...(options.id ? { _id: oid(options.id) } : {}),
      name,
      payload: defined(payload),
      status: 'queued',
      runAt: options.runAt ?? new Date(),
      attempts: 0,
      maxAttempts: options.maxAttempts ?? 1,
      progress: 0,
      detail: {},
    });
    return toRecord<N>(doc.toObject() as Lean);
  }

  /**
   * The one document of a recurring job (created once, by whichever process gets there first),
   * made due now when `dueNow` and it is waiting: a process that starts runs it at once.
   */
  async ensureRecurring(name: JobName, now: Date, dueNow: boolean): Promise<void> {
    try {
      await this.model.updateOne(
        { key: name },
        { $setOnInsert: { name, key: name, payload: {}, status: 'queued', runAt: now, attempts: 0, maxAttempts: 1, progress: 0, detail: {} } },
        { upsert: true },
      );
    } catch (e) {
      // Two processes upserting at once: the unique key lets one in; the other's document exists now.
      if (!isDuplicateKey(e)) throw e;
    }
    if (dueNow) await this.model.updateOne({ key: name, status: 'queued', runAt: { $gt: now } }, { $set: { runAt: now } });
  }

  async findById<N extends JobName>(name: N, id: string): Promise<JobRecord<N> | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const d = await this.model.findOne({ _id: oid(id), name }).lean<Lean>();
    return d ? toRecord<N>(d) : undefined;
  }

  /** Newest first; `filter` on payload fields, e.g. `{ 'payload.lessonId': id }`. */
  async list<N extends JobName>(name: N, filter: Record<string, unknown>, limit: number): Promise<JobRecord<N>[]> {
    const docs = await this.model.find({ ...filter, name }).sort({ createdAt: -1 }).limit(limit).lean<Lean[]>();
    return docs.map((d) => toRecord<N>(d));
  }

  /** Atomically takes the job due first among `names`: two processes never get the same one. */
  async claim(names: readonly JobName[], owner: string, now: Date, leaseMs: number): Promise<JobRecord | undefined> {
    if (names.length === 0) return undefined;
    const d = await this.model
      .findOneAndUpdate(
        { status: 'queued', runAt: { $lte: now }, name: { $in: names } },
        { $set: { status: 'running', owner, leaseUntil: new Date(now.getTime() + leaseMs), progress: 0 }, $unset: { 'detail.phase': '' }, $inc: { attempts: 1 } },
        { ...after, sort: { runAt: 1, _id: 1 } },
      )
      .lean<Lean>();
    return d ? toRecord(d) : undefined;
  }

  /** Renews the lease, with progress when given; false when the job is no longer `owner`'s. */
  async renew(id: string, owner: string, now: Date, leaseMs: number, progress?: { percent: number; detail?: Record<string, unknown> }): Promise<boolean> {
    const set: Record<string, unknown> = { leaseUntil: new Date(now.getTime() + leaseMs) };
    if (progress) {
      set.progress = Math.max(0, Math.min(100, progress.percent));
      for (const [k, v] of Object.entries(progress.detail ?? {})) if (v !== undefined) set[`detail.${k}`] = v;
    }
    const res = await this.model.updateOne({ _id: oid(id), owner, status: 'running' }, { $set: set });
    return res.matchedCount === 1;
  }

  /**
   * Writes an attempt's outcome: final, back to the queue (a retryable failure with attempts left),
   * or — for a recurring job — waiting for its next run at `nextRunAt`. Undefined when the job is
   * no longer `owner`'s.
   */
  async settle<N extends JobName>(job: JobRecord<N>, owner: string, outcome: JobOutcome<N>, now: Date, nextRunAt?: Date): Promise<JobRecord<N> | undefined> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = { ...release };
    if (outcome.status === 'succeeded') Object.assign(set, { result: defined(outcome.result), progress: 100 });
    if (outcome.status === 'failed') set.error = outcome.error;
    if (outcome.status === 'skipped') set.skipReason = outcome.reason;
    if (nextRunAt) {
      Object.assign(set, { status: 'queued', runAt: nextRunAt, attempts: 0, lastOutcome: outcome.status, finishedAt: now });
    } else if (outcome.status === 'failed' && outcome.retry && job.attempts < job.maxAttempts) {
      // Keeps its runAt: a retried job is next in line, as it was.
      Object.assign(set, { status: 'queued', progress: 0 });
      unset['detail.phase'] = '';
    } else {
      Object.assign(set, { status: outcome.status, finishedAt: now });
    }
    const d = await this.model.findOneAndUpdate({ _id: oid(job.id), owner, status: 'running' }, { $set: set, $unset: unset }, after).lean<Lean>();
    return d ? toRecord<N>(d) : undefined;
  }

  /**
   * Takes one job among `names` whose holder's lease ran out (crashed, killed, machine restarted)
   * for recovery; the caller then {@link requeueStale}s or {@link failStale}s it. Held for one
   * lease meanwhile, so a recoverer that dies too leaves it to the next.
   */
  async takeStale(names: readonly JobName[], owner: string, now: Date, leaseMs: number): Promise<JobRecord | undefined> {
    if (names.length === 0) return undefined;
    const d = await this.model
      .findOneAndUpdate(
        { status: { $in: ['running', 'recovering'] }, leaseUntil: { $lt: now }, name: { $in: names } },
        { $set: { status: 'recovering', owner, leaseUntil: new Date(now.getTime() + leaseMs) } },
        after,
      )
      .lean<Lean>();
    return d ? toRecord(d) : undefined;
  }

  async requeueStale<N extends JobName>(job: JobRecord<N>, owner: string, interrupted: JobFailure, now: Date): Promise<JobRecord<N> | undefined> {
    const set: Record<string, unknown> = job.key
      ? { status: 'queued', runAt: now, attempts: 0, progress: 0, lastOutcome: 'failed', error: interrupted }
      : { status: 'queued', progress: 0, error: interrupted };
    const d = await this.model
      .findOneAndUpdate({ _id: oid(job.id), owner, status: 'recovering' }, { $set: set, $unset: { ...release, 'detail.phase': '' } }, after)
      .lean<Lean>();
    return d ? toRecord<N>(d) : undefined;
  }

  async failStale<N extends JobName>(job: JobRecord<N>, owner: string, failure: JobFailure, now: Date): Promise<JobRecord<N> | undefined> {
    const d = await this.model
      .findOneAndUpdate({ _id: oid(job.id), owner, status: 'recovering' }, { $set: { status: 'failed', error: failure, finishedAt: now }, $unset: release }, after)
      .lean<Lean>();
    return d ? toRecord<N>(d) : undefined;
  }
}
