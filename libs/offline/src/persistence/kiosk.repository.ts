import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { hex, oid } from '@app/platform';
import { KioskAttemptDoc, KioskDoc } from './offline.schemas';

export interface Kiosk {
  id: string;
  sessionId: string;
  institutionId: string;
  regionCode: string;
  openedBy: string;
  expiresAt: Date;
}

export interface KioskAttempt {
  id: string;
  sessionId: string;
  at: Date;
  outcome: string;
  traineeId?: string;
  distance?: number | null;
  faces: number;
  capture?: { key: string; sha256: string; size: number };
}

type KioskLean = KioskDoc & { _id: Types.ObjectId };
type AttemptLean = KioskAttemptDoc & { _id: Types.ObjectId };

const toKiosk = (d: KioskLean): Kiosk => ({ id: d._id.toHexString(), sessionId: hex(d.sessionId)!, institutionId: hex(d.institutionId)!, regionCode: d.regionCode, openedBy: d.openedBy, expiresAt: d.expiresAt });
const toAttempt = (d: AttemptLean): KioskAttempt => ({
  id: d._id.toHexString(),
  sessionId: hex(d.sessionId)!,
  at: d.at,
  outcome: d.outcome,
  traineeId: hex(d.traineeId),
  distance: d.distance,
  faces: d.faces,
  capture: d.capture ?? undefined,
});

/** Kiosk credentials (only their hashes) and every recognition attempt a kiosk made, refused ones included. */
@Injectable()
export class KioskRepository {
  constructor(
    @InjectModel(KioskDoc.name) private readonly kiosks: Model<KioskDoc>,
    @InjectModel(KioskAttemptDoc.name) private readonly attempts: Model<KioskAttemptDoc>,
  ) {}

  async create(k: Omit<Kiosk, 'id'> & { tokenHash: string }): Promise<Kiosk> {
    const [doc] = await this.kiosks.create([{ ...k, sessionId: oid(k.sessionId), institutionId: oid(k.institutionId) }]);
    return toKiosk(doc.toObject() as KioskLean);
  }

  /** The live credential with this hash: not revoked, not expired. */
  async findLive(tokenHash: string, now: Date): Promise<Kiosk | undefined> {
    const doc = await this.kiosks.findOne({ tokenHash, revokedAt: { $exists: false }, expiresAt: { $gt: now } }).lean<KioskLean>();
    return doc ? toKiosk(doc) : undefined;
  }

  /** Revokes every live credential of a session; how many there were. */
  async revokeAll(sessionId: string, at: Date): Promise<string[]> {
    const live = await this.kiosks.find({ sessionId: oid(sessionId), revokedAt: { $exists: false }, expiresAt: { $gt: at } }, { _id: 1 }).lean<KioskLean[]>();
    if (live.length > 0) await this.kiosks.updateMany({ _id: { $in: live.map((k) => k._id) } }, { $set: { revokedAt: at } });
    return live.map((k) => k._id.toHexString());
  }

  async record(a: Omit<KioskAttempt, 'id'> & { institutionId: string; regionCode: string }): Promise<KioskAttempt> {
    const [doc] = await this.attempts.create([{ ...a, sessionId: oid(a.sessionId), institutionId: oid(a.institutionId), traineeId: a.traineeId ? oid(a.traineeId) : undefined }]);
    return toAttempt(doc.toObject() as AttemptLean);
  }

  async attemptsOf(sessionId: string, limit = 200): Promise<KioskAttempt[]> {
    const docs = await this.attempts.find({ sessionId: oid(sessionId) }).sort({ at: -1 }).limit(limit).lean<AttemptLean[]>();
    return docs.map(toAttempt);
  }
}
