import type { MediaErrorCode } from '../media.errors';
import type { VideoInfo } from './video-info';

/**
 * Containers we accept, by ffprobe's detection from the bytes (never the file name). Image and
 * text demuxers (image2, png_pipe, tty…) also "probe", which is why this is an allow list.
 */
const VIDEO_CONTAINERS = ['mov', 'mp4', 'matroska', 'webm', 'avi', 'mpegts', 'flv', 'mpeg', 'asf', 'mxf', 'ogg', 'h264', 'hevc', 'm4v'];

export type IngestMode = 'remux' | 'transcode';

export type IngestPlan =
  | { ok: true; mode: IngestMode; durationSeconds: number; info: VideoInfo }
  | { ok: false; code: MediaErrorCode; details?: Record<string, unknown> };

export interface IngestLimits {
  maxDurationSeconds: number;
}

/**
 * What to do with an upload. H.264 (8-bit 4:2:0) with AAC or no audio is remuxed — stream copy,
 * no quality loss, ~disk speed; anything else is transcoded to H.264/AAC.
 */
export function planIngest(sizeBytes: number, info: VideoInfo | undefined, limits: IngestLimits, probeError = ''): IngestPlan {
  if (sizeBytes === 0) return { ok: false, code: 'MEDIA_EMPTY' };
  if (!info) return { ok: false, code: looksTruncated(probeError) ? 'MEDIA_TRUNCATED' : 'MEDIA_UNRECOGNISED' };
  const formats = info.container.split(',');
  if (!formats.some((f) => VIDEO_CONTAINERS.includes(f))) return { ok: false, code: 'MEDIA_UNRECOGNISED', details: { container: info.container } };
  if (!info.video) return { ok: false, code: 'MEDIA_NO_VIDEO' };
  if (!(info.durationSeconds > 0)) return { ok: false, code: 'MEDIA_TRUNCATED', details: { reason: 'no-duration' } };
  if (info.durationSeconds > limits.maxDurationSeconds) {
    return {
      ok: false,
      code: 'MEDIA_TOO_LONG',
      details: { durationSeconds: Math.round(info.durationSeconds), maxDurationSeconds: limits.maxDurationSeconds },
    };
  }
  const h264 = info.video.codec === 'h264' && (info.video.pixelFormat === undefined || info.video.pixelFormat === 'yuv420p');
  const audioOk = !info.audio || info.audio.codec === 'aac';
  return { ok: true, mode: h264 && audioOk ? 'remux' : 'transcode', durationSeconds: info.durationSeconds, info };
}

/**
 * A packaged rendition much shorter than the probed duration means ffmpeg stopped at damaged or
 * missing data (a truncated upload whose index survived): reject it rather than publish half a lesson.
 */
export function isTruncatedOutput(probedSeconds: number, packagedSeconds: number): boolean {
  return packagedSeconds < probedSeconds * 0.9 - 1;
}

/**
 * ffprobe's complaint about a file that starts like a video but ends early: an MP4 whose index
 * (moov) was never written, or a stream cut mid-packet.
 */
export function looksTruncated(ffprobeStderr: string): boolean {
  return /moov atom not found|partial file|truncat|unexpected end/i.test(ffprobeStderr);
}
