import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A development secret in `<dataDir>/<fileName>`: created once with `create()`'s content (mode
 * 0600) and read back ever after. The `wx` flag makes the creation atomic, so two processes that
 * start together end up sharing one secret instead of each writing its own. Production sets the
 * secrets in the environment; this is what a fresh `npm run up` runs on.
 */
export function developmentSecretFile(dataDir: string, fileName: string, create: () => string): string {
  const file = path.join(dataDir, fileName);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, create(), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return fs.readFileSync(file, 'utf8');
}
