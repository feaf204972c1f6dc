import { Inject, Injectable } from '@nestjs/common';
import { IdentityOptions, IdentityOptionsToken } from '../identity.options';

/** Past this many remembered changes, the ones too old to matter are dropped. */
const PRUNE_ABOVE = 10_000;

/**
 * This process's memory of recent changes that can turn a valid login invalid — a login session
 * revoked, a password changed, an account disabled — so that sockets reusing an earlier account
 * check (see SocketAuthenticator) notice them on their next event instead of at the next recheck.
 * The repositories that make those changes report them here after the write.
 */
@Injectable()
export class AuthRevocations {
  private readonly changedAt = new Map<string, number>();
  private readonly windowMs: number;

  constructor(@Inject(IdentityOptionsToken) options: Pick<IdentityOptions, 'socket'>) {
    this.windowMs = options.socket.recheckSeconds * 1000;
  }

  userChanged(userId: string, now = Date.now()): void {
    this.mark(`u:${userId}`, now);
  }

  sessionRevoked(sessionId: string, now = Date.now()): void {
    this.mark(`s:${sessionId}`, now);
  }

  /** Whether the user or the login session changed at or after `since` (ms). */
  changedSince(userId: string, sessionId: string, since: number): boolean {
    return (this.changedAt.get(`u:${userId}`) ?? -Infinity) >= since || (this.changedAt.get(`s:${sessionId}`) ?? -Infinity) >= since;
  }

  private mark(key: string, now: number): void {
    this.changedAt.delete(key);
    this.changedAt.set(key, now);
    if (this.changedAt.size <= PRUNE_ABOVE) return;
    // A check older than the window is redone anyway, so a change older than it can never decide anything.
    for (const [k, at] of this.changedAt) {
      if (now - at <= this.windowMs) break;
      this.changedAt.delete(k);
    }
  }
}
