import type * as TusServer from '@tus/server';
import type * as TusFileStore from '@tus/file-store';

/**
 * @tus/server 2 and @tus/file-store are ESM-only; Node ≥ 20.19 loads them with require()
 * (require(esm)). Kept in one place so the lazy load (see TusUploadService) is explicit.
 */
export function loadTus(): { Server: typeof TusServer.Server; FileStore: typeof TusFileStore.FileStore } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Server } = require('@tus/server') as typeof TusServer;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FileStore } = require('@tus/file-store') as typeof TusFileStore;
  return { Server, FileStore };
}
