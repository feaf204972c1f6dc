import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@app/platform';
import type { Kiosk } from '../persistence/kiosk.repository';
import { KIOSK_TOKEN_PREFIX, KioskService } from './kiosk.service';

const KIOSK_REQUEST_KEY = 'offlineKiosk';

/**
 * For kiosk routes only (which are @Public() to the login guard: a kiosk has no login). The
 * credential names one session; the routes take no session id, so a kiosk cannot even address
 * another one, and its token is refused by every other route (not a login token).
 */
@Injectable()
export class KioskGuard implements CanActivate {
  constructor(private readonly kiosks: KioskService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & Record<string, unknown>>();
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization?.trim() ?? '');
    if (!m || !m[1].startsWith(KIOSK_TOKEN_PREFIX)) throw AppError.of('UNAUTHENTICATED', { reason: 'kiosk-credential' }, '请由培训机构工作人员开启签到终端');
    req[KIOSK_REQUEST_KEY] = await this.kiosks.authenticate(m[1]);
    return true;
  }
}

export const CurrentKiosk = createParamDecorator((_: unknown, ctx: ExecutionContext): Kiosk => {
  const kiosk = ctx.switchToHttp().getRequest<Record<string, unknown>>()[KIOSK_REQUEST_KEY];
  if (!kiosk) throw AppError.of('UNAUTHENTICATED');
  return kiosk as Kiosk;
});
