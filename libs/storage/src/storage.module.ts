import { S3Client } from '@aws-sdk/client-s3';
import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { AppConfig, AppConfigToken, HealthRegistry } from '@app/platform';
import { BlobStore } from './blob-store';
import { LocalBlobStore } from './local-blob-store';
import { S3BlobStore } from './s3-blob-store';

/** The configured store: the local directory by default, S3 when STORAGE_DRIVER=s3. */
export function createBlobStore(config: AppConfig): BlobStore {
  const s = config.storage;
  if (s.driver === 'local') return new LocalBlobStore(s.dir);
  const client = new S3Client({
    region: s.region,
    endpoint: s.endpoint,
    forcePathStyle: s.forcePathStyle,
    credentials: s.credentials,
  });
  return new S3BlobStore(client, { bucket: s.bucket, prefix: s.prefix, spoolDir: s.spoolDir });
}

/** The configured store, checked before anything uses it: an S3 bucket without Object Lock stops start-up. */
async function openBlobStore(config: AppConfig): Promise<BlobStore> {
  const store = createBlobStore(config);
  if (store instanceof S3BlobStore) await store.assertObjectLock();
  return store;
}

@Injectable()
class StorageHealth implements OnModuleInit {
  constructor(
    private readonly store: BlobStore,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('blobs', async () => {
      try {
        await this.store.check();
        return { blobs: { status: 'up', driver: this.store.driver } };
      } catch (e) {
        return { blobs: { status: 'down', driver: this.store.driver, message: (e as Error).message } };
      }
    });
  }
}

/** Global: any context injects BlobStore (the abstract class is the DI token). */
@Global()
@Module({
  providers: [{ provide: BlobStore, inject: [AppConfigToken], useFactory: openBlobStore }, StorageHealth],
  exports: [BlobStore],
})
export class StorageModule {}
