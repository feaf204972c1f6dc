import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '@app/platform';

/**
 * MEDIA_SECRET when configured; otherwise a development secret created once in
 * `<dataDir>/media-secret.key` (0600, `wx` so two processes starting together share it).
 */
export function resolveMediaSecret(config: AppConfig): string {
  if (config.media.secret) return config.media.secret;
  const file = path.join(config.dataDir, 'media-secret.key');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
