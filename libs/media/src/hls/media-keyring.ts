import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, AppConfigToken } from '@app/platform';
import { deriveMediaKeys } from './key-wrap';
import { resolveMediaSecret } from './media-secret';

/** The media context's keys, derived once from MEDIA_SECRET (or the development secret file). */
@Injectable()
export class MediaKeyring {
  readonly keyEncryptionKey: Buffer;
  readonly urlSigningKey: Buffer;

  constructor(@Inject(AppConfigToken) config: AppConfig) {
    const keys = deriveMediaKeys(resolveMediaSecret(config));
    this.keyEncryptionKey = keys.keyEncryptionKey;
    this.urlSigningKey = keys.urlSigningKey;
  }
}
