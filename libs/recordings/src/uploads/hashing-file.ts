import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A file's SHA-256 read from disk: only when the inline hash of an upload could not be vouched for (a restart mid-upload). */
export const HashingFile = {
  async sha256(path: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
    return hash.digest('hex');
  },
};
