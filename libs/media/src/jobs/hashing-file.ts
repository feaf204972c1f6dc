import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

export const HashingFile = {
  /** Streams the file through SHA-256 (never whole in memory). */
  async sha256(file: string): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), hash);
    return hash.digest('hex');
  },
};
