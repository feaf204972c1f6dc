import * as fs from 'node:fs';
import * as path from 'node:path';

/** The directory holding the platform's package.json, found from this file whether it runs from src/ or dist/. */
export function findRepoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'gsyf-training-platform') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the platform's package.json above ${from}`);
    dir = parent;
  }
}
