import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AuditActor, AuditTrail } from '@app/audit';
import { NothingChanged, unlessUnchanged } from '@app/catalog';
import { auditActorOf, AuthUser } from '@app/identity';
import { Clock, ClockToken } from '@app/platform';
import { offlineTenant, writeScopeOf } from '../offline-audit';
import { offlineError } from '../offline.errors';
import { OfflineSettings, OfflineSettingsToken } from '../offline-settings';
import { Kiosk, KioskRepository } from '../persistence/kiosk.repository';
import { SessionRepository } from '../persistence/session.repository';

/** Not a JWT (two parts, not three): no route that takes a login token can mistake it for one. */
export const KIOSK_TOKEN_PREFIX = 'kiosk.';
const TOKEN = /^kiosk\.[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** What the audit trail records as the actor of a kiosk's writes: the kiosk itself, for its institution. */
export function kioskActor(k: Kiosk): AuditActor {
  return { kind: 'user', id: k.id, role: 'kiosk', organisationId: k.institutionId, regionCode: k.regionCode };
}

/**
 * Kiosk credentials: opened by an institution user for one session, good for nothing but that
 * session's attendance, and expiring with it (plus the sign-out grace). Only the SHA-256 of the
 * token is stored: a database read does not hand out working credentials.
 */
@Injectable()
export class KioskService {
  constructor(
    private readonly trail: AuditTrail,
    private readonly kiosks: KioskRepository,
    private readonly sessions: SessionRepository,
    @Inject(OfflineSettingsToken) private readonly settings: OfflineSettings,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  async open(user: AuthUser, sessionId: string): Promise<{ token: string; kiosk: Kiosk }> {
    const scope = writeScopeOf(user);
    const token = KIOSK_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    return this.trail.commit(auditActorOf(user), async (tx) => {
      const session = await this.sessions.findById(scope, sessionId);
      if (!session) throw offlineError('SESSION_NOT_FOUND');
      if (session.status === 'accepted') throw offlineError('SESSION_ACCEPTED');
      const expiresAt = new Date(session.endsAt.getTime() + this.settings.signOutGraceMs);
      if (expiresAt.getTime() <= this.clock.now()) throw offlineError('KIOSK_SESSION_OVER');
      const kiosk = await this.kiosks.create({ tokenHash: hashOf(token), sessionId: session.id, institutionId: session.institutionId, regionCode: session.regionCode, openedBy: user.id, expiresAt });
      tx.record({ action: 'offline-kiosk.open', target: { type: 'offline-session', id: session.id }, tenant: offlineTenant(session), after: { kioskId: kiosk.id, expiresAt } });
      return { token, kiosk };
    });
  }

  /** Closes the session's kiosks before they expire (a tablet lost, the class moved): their credentials stop working at once. */
  async close(user: AuthUser, sessionId: string): Promise<{ closed: number }> {
    const scope = writeScopeOf(user);
    return unlessUnchanged(() =>
      this.trail.commit(auditActorOf(user), async (tx) => {
        const session = await this.sessions.findById(scope, sessionId);
        if (!session) throw offlineError('SESSION_NOT_FOUND');
        const closed = await this.kiosks.revokeAll(session.id, new Date(this.clock.now()));
        if (closed.length === 0) throw new NothingChanged({ closed: 0 });
        tx.record({ action: 'offline-kiosk.close', target: { type: 'offline-session', id: session.id }, tenant: offlineTenant(session), after: { kioskIds: closed } });
        return { closed: closed.length };
      }),
    );
  }

  /** The kiosk a presented token belongs to; KIOSK_TOKEN_INVALID for anything else. */
  async authenticate(token: string): Promise<Kiosk> {
    if (!TOKEN.test(token)) throw offlineError('KIOSK_TOKEN_INVALID');
    const kiosk = await this.kiosks.findLive(hashOf(token), new Date(this.clock.now()));
    if (!kiosk) throw offlineError('KIOSK_TOKEN_INVALID');
    return kiosk;
  }
}
