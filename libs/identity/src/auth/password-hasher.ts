import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/**
 * argon2id with OWASP's minimum (19 MiB, t=2, p=1): parallel logins on a 2-core host stay cheap
 * enough, and verify() reads the parameters from the hash, so raising them later needs no migration.
 */
const PARAMS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  /** Verified against when the username is unknown, so both paths cost the same time. */
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, PARAMS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash is a failed login, not a 500.
      return false;
    }
  }

  async burn(password: string): Promise<void> {
    this.dummy ??= this.hash('dummy-password-for-timing-1');
    await this.verify(await this.dummy, password);
  }
}
