import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import type { Owner } from '../signals/signal';
import type { AttendanceFact, FactBundle, FactSource, FactWindow, ReferenceFact, StudySessionFact } from './facts';

type Doc = Record<string, unknown> & { _id: Types.ObjectId };
const hex = (v: unknown) => (v instanceof Types.ObjectId ? v.toHexString() : v === undefined || v === null ? undefined : String(v));
const ms = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : undefined);
const BATCH = 5000;

/**
 * The facts of today's contexts, read where they are stored: study sessions with their captures
 * and refusals (libs/study), offline attendance with its timetable (libs/offline), face references
 * (libs/identity), and each trainee's enterprise. A read model only — it never writes, and it reads
 * every tenant (the refresh is the platform's own work; what an auditor then sees is scoped on the
 * queue). Reading the owners' collections directly keeps one window to a handful of indexed
 * queries instead of one call per session through each context's API.
 *
 * Gaps (README): recordings (issue 19), camera labels and liveness (issue 24), and capture
 * descriptors (captures keep only their distance today) come back empty.
 */
@Injectable()
export class StoredFactSource implements FactSource {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private col(name: string) {
    return this.connection.collection(name);
  }

  async read(window: FactWindow): Promise<FactBundle> {
    const range = { $gte: new Date(window.since), $lt: new Date(window.until) };
    const [sessions, attendance] = await Promise.all([this.sessions(range), this.attendance(range)]);
    const trainees = new Set([...sessions.map((s) => s.owner.traineeId), ...attendance.map((a) => a.owner.traineeId)]);
    const enterprises = await this.enterprisesOf([...trainees]);
    const withEnterprise = <T extends { owner: Owner }>(x: T): T => ({ ...x, owner: { ...x.owner, enterpriseId: enterprises.get(x.owner.traineeId) } });
    const references = (await this.references()).map(withEnterprise);
    return { sessions: sessions.map(withEnterprise), attendance: attendance.map(withEnterprise), references, captureDescriptors: [], recordings: [], cameras: [], liveness: [] };
  }

  private async sessions(range: Record<string, Date>): Promise<StudySessionFact[]> {
    const docs = (await this.col('study_sessions').find({ startedAt: range }, { projection: { 'state.credit': 0, 'state.provisional': 0, 'state.held': 0, 'state.gated': 0 } }).batchSize(BATCH).toArray()) as Doc[];
    if (docs.length === 0) return [];
    const ids = docs.map((d) => d._id);
    const [captures, refusals] = await Promise.all([
      this.col('study_captures').find({ sessionId: { $in: ids } }, { projection: { sessionId: 1, at: 1, outcome: 1, distance: 1, threshold: 1, refusedAs: 1 } }).batchSize(BATCH).toArray(),
      this.col('study_refusals').find({ sessionId: { $in: ids } }, { projection: { sessionId: 1, at: 1, code: 1, seconds: 1 } }).batchSize(BATCH).toArray(),
    ]);
    const group = <T>(rows: Doc[], map: (d: Doc) => T) => {
      const m = new Map<string, T[]>();
      for (const r of rows) {
        const k = hex(r.sessionId)!;
        m.set(k, [...(m.get(k) ?? []), map(r)]);
      }
      return m;
    };
    const checksBy = group(captures as Doc[], (c) => ({ captureId: c._id.toHexString(), sessionId: hex(c.sessionId)!, at: ms(c.at)!, outcome: String(c.outcome), distance: (c.distance as number | null | undefined) ?? null, threshold: c.threshold as number | undefined, refusedAs: c.refusedAs as string | undefined }));
    const refusalsBy = group(refusals as Doc[], (r) => ({ code: String(r.code), seconds: Number(r.seconds), at: ms(r.at)! }));
    return docs.map((d) => {
      const state = (d.state ?? {}) as Record<string, unknown>;
      const id = d._id.toHexString();
      return {
        sessionId: id,
        owner: { traineeId: hex(d.traineeId)!, programId: hex(d.programId)!, institutionId: hex(d.institutionId)!, regionCode: String(d.regionCode), userId: hex(d.userId) },
        startedAt: ms(d.startedAt)!,
        endedAt: ms(d.endedAt) ?? ms(d.lastSeenAt)!,
        status: String(d.status),
        settledSeconds: Number(state.settledSeconds ?? 0),
        fingerprint: (state.client as { fingerprint?: string } | undefined)?.fingerprint,
        clientAddress: (state.client as { address?: string } | undefined)?.address,
        userAgent: (state.client as { userAgent?: string } | undefined)?.userAgent,
        refusals: refusalsBy.get(id) ?? [],
        checks: (checksBy.get(id) ?? []).sort((a, b) => a.at - b.at),
      };
    });
  }

  private async attendance(range: Record<string, Date>): Promise<AttendanceFact[]> {
    const sessions = (await this.col('offline_sessions').find({ startsAt: range }, { projection: { classId: 1, startsAt: 1, endsAt: 1 } }).toArray()) as Doc[];
    if (sessions.length === 0) return [];
    const byId = new Map(sessions.map((s) => [s._id.toHexString(), s]));
    const rows = (await this.col('offline_attendance').find({ sessionId: { $in: sessions.map((s) => s._id) } }).batchSize(BATCH).toArray()) as Doc[];
    const users = await this.usersOf(rows.map((r) => hex(r.traineeId)!));
    return rows.map((r) => {
      const s = byId.get(hex(r.sessionId)!)!;
      const trainee = hex(r.traineeId)!;
      return {
        attendanceId: r._id.toHexString(),
        classSessionId: hex(r.sessionId)!,
        owner: { traineeId: trainee, programId: hex(r.programId)!, institutionId: hex(r.institutionId)!, regionCode: String(r.regionCode), classId: hex(r.classId), userId: users.get(trainee) },
        scheduled: { startsAt: ms(s.startsAt)!, endsAt: ms(s.endsAt)! },
        signInAt: ms(r.signInAt),
        signOutAt: ms(r.signOutAt),
        manual: ((r.manual as { reason: string; by: string; at: Date }[] | undefined) ?? []).map((m) => ({ reason: m.reason, by: String(m.by), at: ms(m.at)! })),
      };
    });
  }

  /** Every live reference of the platform: the 1:N search spans programs and institutions. */
  private async references(): Promise<ReferenceFact[]> {
    const docs = (await this.col('face_references').find({ status: { $in: ['active', 'held_for_review', 'retired'] } }, { projection: { traineeId: 1, programId: 1, institutionId: 1, enterpriseRegionCode: 1, userId: 1, descriptor: 1, enrolledAt: 1, status: 1 } }).batchSize(BATCH).toArray()) as Doc[];
    return docs.map((d) => ({
      referenceId: d._id.toHexString(),
      owner: { traineeId: hex(d.traineeId)!, programId: hex(d.programId)!, institutionId: hex(d.institutionId)!, regionCode: String(d.enterpriseRegionCode), userId: hex(d.userId) },
      descriptor: d.descriptor as number[],
      enrolledAt: ms(d.enrolledAt)!,
      status: String(d.status),
    }));
  }

  private async enterprisesOf(traineeIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < traineeIds.length; i += BATCH) {
      const docs = (await this.col('trainees').find({ _id: { $in: traineeIds.slice(i, i + BATCH).map((t) => new Types.ObjectId(t)) } }, { projection: { enterpriseId: 1 } }).toArray()) as Doc[];
      for (const d of docs) out.set(d._id.toHexString(), hex(d.enterpriseId)!);
    }
    return out;
  }

  private async usersOf(traineeIds: string[]): Promise<Map<string, string | undefined>> {
    const docs = (await this.col('trainees').find({ _id: { $in: [...new Set(traineeIds)].map((t) => new Types.ObjectId(t)) } }, { projection: { userId: 1 } }).toArray()) as Doc[];
    return new Map(docs.map((d) => [d._id.toHexString(), hex(d.userId)]));
  }
}
