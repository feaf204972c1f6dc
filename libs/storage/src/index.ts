export {
  BlobStore,
  BlobInfo,
  BlobHashMismatchError,
  BlobNotFoundError,
  BlobRetainedError,
  ByteRange,
  PutIfAbsentOptions,
  PutIfAbsentResult,
  PutOptions,
  assertValidKey,
} from './blob-store';
export { LocalBlobStore } from './local-blob-store';
export { S3BlobStore, S3BlobStoreOptions } from './s3-blob-store';
export { StorageModule, createBlobStore } from './storage.module';
