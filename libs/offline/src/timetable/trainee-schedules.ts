import { Injectable } from '@nestjs/common';
import { RosterRepository } from '../persistence/roster.repository';
import { SessionRepository } from '../persistence/session.repository';
import { bookingOf, clashes } from '../rules/overlap';


/**
 * One person cannot sit in two rooms at once: whether any of `traineeIds` is due, in another
 * class, at the time of one of `sessions` (a class's sessions when someone joins its roster; a new
 * session against its class's roster).
 */
@Injectable()
export class TraineeSchedules {
  constructor(
    private readonly roster: RosterRepository,
    private readonly sessions: SessionRepository,
  ) {}

  async firstClash(classId: string, traineeIds: readonly string[], sessions: readonly { id: string; startsAt: Date; endsAt: Date }[]): Promise<{ sessionId: string; clashingSessionId: string } | undefined> {
    if (sessions.length === 0) return undefined;
    const others = new Set<string>();
    for (const t of traineeIds) for (const c of await this.roster.classIdsOf(t)) if (c !== classId) others.add(c);
    if (others.size === 0) return undefined;
    const theirs = (await this.sessions.listByClasses([...others])).map(bookingOf);
    for (const s of sessions) {
      const clash = clashes(bookingOf(s), theirs)[0];
      if (clash) return { sessionId: s.id, clashingSessionId: clash.id };
    }
    return undefined;
  }
}
