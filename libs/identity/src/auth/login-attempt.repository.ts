import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKey } from '@app/platform';
import { LoginAttemptState, NO_FAILURES } from './lockout';
import { LoginAttemptDoc } from './login-attempt.schema';

@Injectable()
export class LoginAttemptRepository {
  constructor(@InjectModel(LoginAttemptDoc.name) private readonly model: Model<LoginAttemptDoc>) {}

  async get(username: string): Promise<LoginAttemptState> {
    const doc = await this.model.findOne({ username }).lean<LoginAttemptDoc>();
    if (!doc) return NO_FAILURES;
    return { failures: doc.failures, windowStart: doc.windowStart ?? undefined, lockedUntil: doc.lockedUntil ?? undefined };
  }

  /**
   * Writes `next` only if the record still holds `prev` (optimistic), so concurrent failures
   * cannot overwrite each other's count. Returns false when someone else got there first.
   */
  async replace(username: string, prev: LoginAttemptState, next: LoginAttemptState, expiresAt: Date): Promise<boolean> {
    const set = { failures: next.failures, expiresAt, windowStart: next.windowStart ?? null, lockedUntil: next.lockedUntil ?? null };
    if (prev.failures === 0 && !prev.lockedUntil) {
      try {
        const res = await this.model.updateOne(
          { username, failures: 0, lockedUntil: null },
          { $set: set },
          { upsert: true },
        );
        return res.modifiedCount + res.upsertedCount === 1;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    }
    const res = await this.model.updateOne(
      { username, failures: prev.failures, lockedUntil: prev.lockedUntil ?? null },
      { $set: set },
    );
    return res.modifiedCount === 1;
  }

  async clear(username: string): Promise<void> {
    await this.model.deleteOne({ username });
  }
}
