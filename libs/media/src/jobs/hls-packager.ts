import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { FSWatcher, watch } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { AppConfig, AppConfigToken } from '@app/platform';
import { BlobStore } from '@app/storage';
import { hlsPackageArgs, PLAYLIST_NAME } from '../ffmpeg/ffmpeg-args';
import { isTruncatedOutput, looksTruncated, planIngest } from '../ffmpeg/ingest-plan';
import { MediaRunner, RunResult } from '../ffmpeg/media-runner';
import type { FfmpegProgress } from '../ffmpeg/progress';
import { wrapKey } from '../hls/key-wrap';
import { mediaSequenceOf, summarisePlaylist, withAes128KeyTag } from '../hls/playlist';
import { MediaKeyring } from '../hls/media-keyring';
import { MediaErrorCode, MediaErrors } from '../media.errors';
import { Rendition } from '../renditions/rendition';
import { CryptoWorker } from './crypto-worker';
import { EncryptingSegmentStorer, segmentSequence } from './segment-storer';

const SWEEP_MS = 250;

/** fs.watch, or nothing where it is unavailable (e.g. inotify watches exhausted): the poll still runs. */
function watchQuietly(dir: string, onEvent: () => void): FSWatcher | undefined {
  try {
    return watch(dir, onEvent).on('error', () => undefined);
  } catch {
    return undefined;
  }
}

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
 * Upload file → encrypted HLS in the blob store. ffmpeg segments (remux or transcode); the
 * segments are AES-128 encrypted here with a fresh per-rendition key while they are stored. Works in a private scratch directory that is
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

  /**
   * `sourceSha256`, when the upload was hashed as it arrived, spares a second read of the source;
   * otherwise the source is hashed here, on a worker thread beside ffmpeg.
   */
  async package(
    input: { lessonId: string; uploadPath: string; renditionId: string; sourceSha256?: string },
    cb: PackageCallbacks,
    signal?: AbortSignal,
  ): Promise<Rendition> {
    const { lessonId, uploadPath, renditionId } = input;
    const scratch = path.join(this.config.media.workDir, 'scratch', renditionId);
    const prefix = `hls/${lessonId}/${renditionId}`;
    await fs.rm(scratch, { recursive: true, force: true });
    await fs.mkdir(scratch, { recursive: true, mode: 0o700 });
    let segmentCount: number;
    try {
      await cb.phase('probing');
      const st = await fs.stat(uploadPath).catch(() => undefined);
      if (!st) throw new IngestRejected('MEDIA_UPLOAD_MISSING');
      const probe = st.size === 0 ? { error: '' } : await this.runner.probe(uploadPath, signal);
      const plan = planIngest(st.size, probe.info, { maxDurationSeconds: this.config.media.maxDurationSeconds }, probe.error);
      if (!plan.ok) throw new IngestRejected(plan.code, plan.details);

      await cb.phase('packaging', plan.mode);
      const out = path.join(scratch, 'out');
      await fs.mkdir(out);
      const args = hlsPackageArgs({
        input: uploadPath,
        mode: plan.mode,
        outputDir: out,
        segmentSeconds: this.config.media.segmentSeconds,
        frameRate: plan.info.video?.frameRate,
      });
      const contentKey = randomBytes(16);
      const encryptor = new CryptoWorker();
      const hasher = input.sourceSha256 ? undefined : new CryptoWorker();
      const storer = new EncryptingSegmentStorer(this.store, prefix, contentKey, out, encryptor);
      let sourceSha256: string;
      try {
        // Three things at once: ffmpeg writes segments, finished ones are encrypted into the store,
        // and (unless the upload was hashed on arrival) the source's SHA-256 is read — the file is
        // in the page cache for both readers.
        // A finished segment appears by rename: the watch starts storing it at once, the poll is
        // the fallback where file-system events are unreliable (network filesystems).
        const poll = setInterval(() => void storer.sweep(), SWEEP_MS);
        const watcher = watchQuietly(out, () => void storer.sweep());
        let result: RunResult;
        try {
          [result, sourceSha256] = await Promise.all([
            this.runner.ffmpeg(args, plan.durationSeconds, cb.progress, signal),
            input.sourceSha256 ?? hasher!.sha256File(uploadPath),
          ]);
        } finally {
          clearInterval(poll);
          watcher?.close();
        }
        if (result.exitCode !== 0) {
          if (signal?.aborted) throw new Error('packaging aborted (shutdown)');
          const code = looksTruncated(result.stderrTail) ? 'MEDIA_TRUNCATED' : 'MEDIA_PROCESSING_FAILED';
          throw new IngestRejected(code, { ffmpeg: result.stderrTail.slice(-800) });
        }
        const plainPlaylist = await fs.readFile(path.join(out, PLAYLIST_NAME), 'utf8');
        const summary = summarisePlaylist(plainPlaylist);
        if (summary.segments.length === 0 || isTruncatedOutput(plan.durationSeconds, summary.totalSeconds)) {
          throw new IngestRejected('MEDIA_TRUNCATED', { probedSeconds: plan.durationSeconds, packagedSeconds: summary.totalSeconds });
        }
        await cb.phase('storing', plan.mode);
        const stored = await storer.finish();
        // Each segment was encrypted with its file number as IV; the playlist must agree (RFC 8216 §5.2).
        const first = mediaSequenceOf(plainPlaylist);
        const consistent = summary.segments.every((seg, i) => stored.has(seg.name) && segmentSequence(seg.name) === first + i);
        if (!consistent || stored.size !== summary.segments.length) throw new Error('segment files and playlist disagree');
        // The playlist last: a rendition with a playlist has all its segments. Its key URI is a
        // placeholder that every playlist request rewrites to a signed URL.
        await this.store.put(`${prefix}/${PLAYLIST_NAME}`, Buffer.from(withAes128KeyTag(plainPlaylist)), { contentType: 'application/vnd.apple.mpegurl' });
        segmentCount = summary.segments.length;
      } catch (e) {
        await storer.finish().catch(() => undefined);
        await this.store.deletePrefix(prefix).catch(() => undefined);
        throw e;
      } finally {
        await Promise.all([encryptor.close(), hasher?.close()]);
      }
      return {
        id: renditionId,
        lessonId,
        prefix,
        wrappedKey: wrapKey(this.keyring.keyEncryptionKey, contentKey, renditionId),
        // The lesson's duration is the probe's (the source), not the sum of segments.
        durationSeconds: Math.round(plan.durationSeconds * 1000) / 1000,
        segmentCount,
        mode: plan.mode,
        sourceSha256,
        sourceBytes: st.size,
        createdAt: new Date(),
      };
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  }
}
