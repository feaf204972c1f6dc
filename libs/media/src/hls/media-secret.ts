import { randomBytes } from 'node:crypto';
import { AppConfig, developmentSecretFile } from '@app/platform';

/**
 * MEDIA_SECRET when configured; otherwise a development secret created once in
 * `<dataDir>/media-secret.key` (0600, `wx` so two processes starting together share it).
 */
export function resolveMediaSecret(config: AppConfig): string {
  if (config.media.secret) return config.media.secret;
  return developmentSecretFile(config.dataDir, 'media-secret.key', () => randomBytes(32).toString('base64url') + '\n').trim();
}
