import { Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { IdentityOptions, IdentityOptionsToken } from '../identity.options';
import { identityError } from '../identity.errors';
import { isRole, Role } from './role';

/** What an access token asserts. Short-lived; `tv` and `sid` let the guard kill it early. */
export interface AccessClaims {
  sub: string;
  role: Role;
  org?: string;
  region?: string;
  /** Session (refresh-token family) id. */
  sid: string;
  /** The user's tokenVersion when issued. */
  tv: number;
}

/** HS256 JWTs; verification pins the algorithm and issuer so `alg: none` or a foreign token fails. */
@Injectable()
export class AccessTokens {
  private readonly jwt: JwtService;

  constructor(@Inject(IdentityOptionsToken) private readonly options: IdentityOptions) {
    this.jwt = new JwtService({ secret: options.accessToken.secret });
  }

  get ttlSeconds(): number {
    return this.options.accessToken.ttlSeconds;
  }

  sign(claims: AccessClaims): Promise<string> {
    return this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: this.options.accessToken.ttlSeconds,
      issuer: this.options.accessToken.issuer,
    });
  }

  /** Throws AUTH_TOKEN_EXPIRED or AUTH_TOKEN_INVALID; never returns unchecked claims. */
  async verify(token: string): Promise<AccessClaims> {
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: ['HS256'],
        issuer: this.options.accessToken.issuer,
      });
    } catch (e) {
      throw identityError(e instanceof TokenExpiredError ? 'AUTH_TOKEN_EXPIRED' : 'AUTH_TOKEN_INVALID');
    }
    const { sub, role, org, region, sid, tv } = payload;
    if (
      typeof sub !== 'string' ||
      !isRole(role) ||
      typeof sid !== 'string' ||
      typeof tv !== 'number' ||
      (org !== undefined && typeof org !== 'string') ||
      (region !== undefined && typeof region !== 'string')
    ) {
      throw identityError('AUTH_TOKEN_INVALID');
    }
    return { sub, role, org, region, sid, tv };
  }
}
