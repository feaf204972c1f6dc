import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { activeSession } from '@app/audit';
import { nowAndAfterTransaction } from '../audit/identity-audit';
import { AuthRevocations } from './auth-revocations';
import type { RefreshTokenRecord, SessionRecord } from './refresh-rotation';
import { RefreshTokenDoc, SessionDoc } from './session.schema';

type LeanSession = SessionDoc & { _id: Types.ObjectId };
type LeanToken = RefreshTokenDoc & { _id: Types.ObjectId };

export type RevokeReason = 'logout' | 'reuse' | 'password-change' | 'disabled';

function toSession(d: LeanSession): SessionRecord {
  return { id: d._id.toHexString(), userId: d.userId.toHexString(), expiresAt: d.expiresAt, revokedAt: d.revokedAt ?? undefined };
}

function toToken(d: LeanToken): RefreshTokenRecord {
  return {
    familyId: d.familyId.toHexString(),
    userId: d.userId.toHexString(),
    expiresAt: d.expiresAt,
    rotatedAt: d.rotatedAt ?? undefined,
  };
}

/** Login sessions and their refresh-token families. */
@Injectable()
export class SessionRepository {
  constructor(
    @InjectModel(SessionDoc.name) private readonly sessions: Model<SessionDoc>,
    @InjectModel(RefreshTokenDoc.name) private readonly tokens: Model<RefreshTokenDoc>,
    private readonly revocations: AuthRevocations,
  ) {}

  async createSession(userId: string, expiresAt: Date, meta: { userAgent?: string; ip?: string }): Promise<SessionRecord> {
    const doc = await this.sessions.create({
      userId: new Types.ObjectId(userId),
      expiresAt,
      userAgent: meta.userAgent?.slice(0, 300),
      ip: meta.ip?.slice(0, 64),
    });
    return toSession(doc.toObject() as LeanSession);
  }

  /** Read on every socket recheck and HTTP request: straight through the driver, only the fields a check needs. */
  async findSession(id: string): Promise<SessionRecord | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.sessions.collection.findOne(
      { _id: new Types.ObjectId(id) },
      // Inside an audit commit (a password change reads its own session back) the driver needs the session handed on.
      { projection: { userId: 1, expiresAt: 1, revokedAt: 1 }, session: activeSession(this.sessions.db) },
    );
    return doc ? toSession(doc as unknown as LeanSession) : undefined;
  }

  async addToken(hash: string, session: SessionRecord, expiresAt: Date): Promise<void> {
    await this.tokens.create({
      hash,
      familyId: new Types.ObjectId(session.id),
      userId: new Types.ObjectId(session.userId),
      expiresAt,
    });
  }

  async findToken(hash: string): Promise<RefreshTokenRecord | undefined> {
    const doc = await this.tokens.findOne({ hash }).lean<LeanToken>();
    return doc ? toToken(doc) : undefined;
  }

  /** Compare-and-set: true only for the one caller that rotated it, so a race looks like reuse. */
  async markRotated(hash: string, at: Date): Promise<boolean> {
    const res = await this.tokens.updateOne({ hash, rotatedAt: { $exists: false } }, { $set: { rotatedAt: at } });
    return res.modifiedCount === 1;
  }

  /** True when this call revoked it (false: unknown or already revoked). */
  async revokeSession(id: string, reason: RevokeReason, at: Date): Promise<boolean> {
    if (!isValidObjectId(id)) return false;
    const res = await this.sessions.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: at, revokedReason: reason } });
    nowAndAfterTransaction(this.sessions.db, () => this.revocations.sessionRevoked(id));
    return res.modifiedCount === 1;
  }

  /** Returns how many sessions it revoked. */
  async revokeAllOfUser(userId: string, reason: RevokeReason, at: Date, exceptSessionId?: string): Promise<number> {
    const filter: Record<string, unknown> = { userId: new Types.ObjectId(userId), revokedAt: { $exists: false } };
    if (exceptSessionId) filter._id = { $ne: new Types.ObjectId(exceptSessionId) };
    const res = await this.sessions.updateMany(filter, { $set: { revokedAt: at, revokedReason: reason } });
    nowAndAfterTransaction(this.sessions.db, () => this.revocations.userChanged(userId));
    return res.modifiedCount;
  }
}
