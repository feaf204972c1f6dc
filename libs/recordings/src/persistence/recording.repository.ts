import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ScopeColumns, scopeFilter, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import type { RecordingFile, SessionRecording } from '../recording.entity';
import type { FaceReport } from '../rules/face-report';
import type { RecordingVerdict } from '../rules/recording-checks';
import { SessionRecordingDoc } from './recording.schema';

type Lean = SessionRecordingDoc & { _id: Types.ObjectId };

const COLUMNS: ScopeColumns = { institution: 'institutionId', region: 'regionCode', ids: 'objectId' };
const isId = (s: string) => /^[0-9a-f]{24}$/i.test(s);

const toRecording = (d: Lean): SessionRecording => ({
  id: d._id.toHexString(),
  sessionId: d.sessionId.toHexString(),
  classId: d.classId.toHexString(),
  institutionId: d.institutionId.toHexString(),
  regionCode: d.regionCode,
  files: (d.files ?? []) as RecordingFile[],
  verdict: d.verdict as SessionRecording['verdict'],
  acceptedAt: d.acceptedAt ?? undefined,
  faceJobId: d.faceJobId ?? undefined,
  faces: d.faces as FaceReport | undefined,
  reusedFrom: (d.reusedFrom ?? []) as SessionRecording['reusedFrom'],
  frameHashes: d.frameHashes ?? [],
});

/** Session recordings, reached through a tenant scope; the job and the checks use the unscoped reads by id. */
@Injectable()
export class RecordingRepository implements OnModuleInit {
  constructor(@InjectModel(SessionRecordingDoc.name) private readonly model: Model<SessionRecordingDoc>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  async findBySession(scope: TenantScope, sessionId: string): Promise<SessionRecording | undefined> {
    if (!isId(sessionId)) return undefined;
    const d = await this.model.findOne({ sessionId: new Types.ObjectId(sessionId), ...scopeFilter(scope, COLUMNS) }).lean<Lean>();
    return d ? toRecording(d) : undefined;
  }

  /** Adds a file (once per SHA-256) inside the caller's commit, creating the session's recording on its first file. */
  async addFile(owner: { sessionId: string; classId: string; institutionId: string; regionCode: string }, file: RecordingFile): Promise<{ recording: SessionRecording; added: boolean }> {
    const sessionId = new Types.ObjectId(owner.sessionId);
    const existing = await this.model.findOne({ sessionId }).lean<Lean>();
    if (existing && (existing.files as RecordingFile[]).some((f) => f.sha256 === file.sha256)) return { recording: toRecording(existing), added: false };
    const d = await this.model
      .findOneAndUpdate(
        { sessionId },
        { $setOnInsert: { classId: new Types.ObjectId(owner.classId), institutionId: new Types.ObjectId(owner.institutionId), regionCode: owner.regionCode }, $push: { files: { ...file, probe: { ...file.probe, order: existing?.files.length ?? 0 } } } },
        { upsert: true, new: true },
      )
      .lean<Lean>();
    return { recording: toRecording(d!), added: true };
  }

  async setVerdict(sessionId: string, verdict: RecordingVerdict & { checkedAt: Date }): Promise<void> {
    await this.model.updateOne({ sessionId: new Types.ObjectId(sessionId) }, { $set: { verdict } });
  }

  async markAccepted(sessionId: string, at: Date): Promise<void> {
    await this.model.updateOne({ sessionId: new Types.ObjectId(sessionId), acceptedAt: { $exists: false } }, { $set: { acceptedAt: at } });
  }

  async setFaceJob(sessionId: string, jobId: string): Promise<void> {
    await this.model.updateOne({ sessionId: new Types.ObjectId(sessionId) }, { $set: { faceJobId: jobId } });
  }

  async setFaces(sessionId: string, faces: FaceReport, frameHashes: string[], reusedFrom: SessionRecording['reusedFrom']): Promise<void> {
    await this.model.updateOne({ sessionId: new Types.ObjectId(sessionId) }, { $set: { faces, frameHashes, reusedFrom } });
  }

  async addReuse(sessionId: string, reuse: SessionRecording['reusedFrom'][number]): Promise<void> {
    await this.model.updateOne({ sessionId: new Types.ObjectId(sessionId), 'reusedFrom.sessionId': { $ne: reuse.sessionId } }, { $push: { reusedFrom: reuse } });
  }

  async findBySessionUnscoped(sessionId: string): Promise<SessionRecording | undefined> {
    if (!isId(sessionId)) return undefined;
    const d = await this.model.findOne({ sessionId: new Types.ObjectId(sessionId) }).lean<Lean>();
    return d ? toRecording(d) : undefined;
  }

  /** Other sessions holding a file with this SHA-256 (one recording used for several sessions). */
  async sessionsWithFile(sha256: string, except: string): Promise<string[]> {
    const docs = await this.model.find({ 'files.sha256': sha256, sessionId: { $ne: new Types.ObjectId(except) } }, { sessionId: 1 }).lean<Lean[]>();
    return docs.map((d) => d.sessionId.toHexString());
  }

  /** Other sessions' sampled-frame hashes, for the near-duplicate comparison. */
  async frameHashesOfOthers(except: string, institutionOrAll?: string): Promise<{ sessionId: string; frameHashes: string[] }[]> {
    const filter: Record<string, unknown> = { sessionId: { $ne: new Types.ObjectId(except) }, 'frameHashes.0': { $exists: true } };
    if (institutionOrAll) filter.institutionId = new Types.ObjectId(institutionOrAll);
    const docs = await this.model.find(filter, { sessionId: 1, frameHashes: 1 }).lean<Lean[]>();
    return docs.map((d) => ({ sessionId: d.sessionId.toHexString(), frameHashes: d.frameHashes }));
  }

  async listFlagged(scope: TenantScope, limit = 200): Promise<SessionRecording[]> {
    const docs = await this.model.find({ ...scopeFilter(scope, COLUMNS), $or: [{ 'faces.flags.0': { $exists: true } }, { 'reusedFrom.0': { $exists: true } }] }).limit(limit).lean<Lean[]>();
    return docs.map(toRecording);
  }
}
