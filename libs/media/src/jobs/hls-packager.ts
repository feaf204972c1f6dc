import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { AppConfig, AppConfigToken } from '@app/platform';
import { BlobStore } from '@app/storage';
import { hlsPackageArgs, keyInfoFileContent, PLAYLIST_NAME } from '../ffmpeg/ffmpeg-args';
import { isTruncatedOutput, looksTruncated, planIngest } from '../ffmpeg/ingest-plan';
import { MediaRunner } from '../ffmpeg/media-runner';
import type { FfmpegProgress } from '../ffmpeg/progress';
import { wrapKey } from '../hls/key-wrap';
import { summarisePlaylist } from '../hls/playlist';
import { MediaKeyring } from '../hls/media-keyring';
import { MediaErrorCode, MediaErrors } from '../media.errors';
import { Rendition } from '../renditions/rendition';
import { HashingFile } from './hashing-file';

/** A rejection of the input (permanent: retrying cannot help). */
export class IngestRejected extends Error {
  constructor(
    readonly code: MediaErrorCode,
    readonly details?: unknown,
  ) {
    super(MediaErrors[code].message);
  }
}

export interface PackageCallbacks {
  phase(phase: 'probing' | 'packaging' | 'storing', mode?: 'remux' | 'transcode'): Promise<void>;
  progress(p: FfmpegProgress): void;
}

/**
 * Upload file → encrypted HLS in the blob store. Works in a private scratch directory that is
 * always removed; blobs go under a fresh rendition prefix that nothing references until the
 * caller publishes it, and are deleted again if anything fails.
 */
@Injectable()
export class HlsPackager {
  constructor(
    private readonly runner: MediaRunner,
    private readonly store: BlobStore,
    private readonly keyring: MediaKeyring,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  async package(input: { lessonId: string; uploadPath: string; renditionId: string }, cb: PackageCallbacks, signal?: AbortSignal): Promise<Rendition> {
    const { lessonId, uploadPath, renditionId } = input;
    const scratch = path.join(this.config.media.workDir, 'scratch', renditionId);
    const prefix = `hls/${lessonId}/${renditionId}`;
    await fs.rm(scratch, { recursive: true, force: true });
    await fs.mkdir(scratch, { recursive: true, mode: 0o700 });
    try {
      await cb.phase('probing');
      const st = await fs.stat(uploadPath).catch(() => undefined);
      if (!st) throw new IngestRejected('MEDIA_UPLOAD_MISSING');
      const probe = st.size === 0 ? { error: '' } : await this.runner.probe(uploadPath, signal);
      const plan = planIngest(st.size, probe.info, { maxDurationSeconds: this.config.media.maxDurationSeconds }, probe.error);
      if (!plan.ok) throw new IngestRejected(plan.code, plan.details);

      await cb.phase('packaging', plan.mode);
      const contentKey = randomBytes(16);
      const keyFile = path.join(scratch, 'content.key');
      const keyInfo = path.join(scratch, 'key.info');
      const out = path.join(scratch, 'out');
      await fs.mkdir(out);
      await fs.writeFile(keyFile, contentKey, { mode: 0o600 });
      // The key URI is a placeholder: every playlist request rewrites it to a signed URL.
      await fs.writeFile(keyInfo, keyInfoFileContent('key', keyFile, randomBytes(16).toString('hex')), { mode: 0o600 });
      const args = hlsPackageArgs({
        input: uploadPath,
        mode: plan.mode,
        outputDir: out,
        keyInfoFile: keyInfo,
        segmentSeconds: this.config.media.segmentSeconds,
        frameRate: plan.info.video?.frameRate,
      });
      const result = await this.runner.ffmpeg(args, plan.durationSeconds, cb.progress, signal);
      if (result.exitCode !== 0) {
        if (signal?.aborted) throw new Error('packaging aborted (shutdown)');
        const code = looksTruncated(result.stderrTail) ? 'MEDIA_TRUNCATED' : 'MEDIA_PROCESSING_FAILED';
        throw new IngestRejected(code, { ffmpeg: result.stderrTail.slice(-800) });
      }
      const playlistText = await fs.readFile(path.join(out, PLAYLIST_NAME), 'utf8');
      const summary = summarisePlaylist(playlistText);
      if (summary.segments.length === 0 || isTruncatedOutput(plan.durationSeconds, summary.totalSeconds)) {
        throw new IngestRejected('MEDIA_TRUNCATED', { probedSeconds: plan.durationSeconds, packagedSeconds: summary.totalSeconds });
      }

      await cb.phase('storing', plan.mode);
      try {
        for (const seg of summary.segments) {
          await this.store.put(`${prefix}/${seg.name}`, createReadStream(path.join(out, seg.name)), { contentType: 'video/mp2t' });
        }
        // The playlist last: a rendition with a playlist has all its segments.
        await this.store.put(`${prefix}/${PLAYLIST_NAME}`, Buffer.from(playlistText), { contentType: 'application/vnd.apple.mpegurl' });
      } catch (e) {
        await this.store.deletePrefix(prefix).catch(() => undefined);
        throw e;
      }
      const source = await HashingFile.sha256(uploadPath);
      return {
        id: renditionId,
        lessonId,
        prefix,
        wrappedKey: wrapKey(this.keyring.keyEncryptionKey, contentKey, renditionId),
        // The lesson's duration is the probe's (the source), not the sum of segments.
        durationSeconds: Math.round(plan.durationSeconds * 1000) / 1000,
        segmentCount: summary.segments.length,
        mode: plan.mode,
        sourceSha256: source,
        sourceBytes: st.size,
        createdAt: new Date(),
      };
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  }
}
