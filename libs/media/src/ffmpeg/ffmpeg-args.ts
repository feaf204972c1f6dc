import type { IngestMode } from './ingest-plan';

export function probeArgs(input: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input];
}

export interface HlsPackageSpec {
  input: string;
  mode: IngestMode;
  outputDir: string;
  /**
   * ffmpeg's own AES-128 (key info file: key URI, key file path, IV). Unset → plain segments that
   * the caller encrypts: ffmpeg's AES is plain C (~80 MB/s here), Node's is OpenSSL with AES-NI.
   */
  keyInfoFile?: string;
  segmentSeconds: number;
  /** Source frame rate, to place keyframes exactly on segment boundaries when transcoding. */
  frameRate?: number;
  /** x264 preset; `veryfast` by default (the benchmark's target). */
  preset?: string;
}

export const PLAYLIST_NAME = 'index.m3u8';
export const SEGMENT_PATTERN = 'seg-%05d.ts';

/**
 * One ffmpeg invocation that packages the input as VOD HLS (MPEG-TS segments), optionally encrypted.
 * Progress goes to stdout as key=value blocks (`-progress pipe:1`); stderr carries only errors.
 */
export function hlsPackageArgs(spec: HlsPackageSpec): string[] {
  const input = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', spec.input];
  // The first video and (if any) first audio stream; subtitles, data and cover art are dropped.
  const map = ['-map', '0:v:0', '-map', '0:a:0?', '-sn', '-dn'];
  const codecs = spec.mode === 'remux' ? ['-c', 'copy'] : transcodeArgs(spec);
  const hls = [
    '-f', 'hls',
    '-hls_time', String(spec.segmentSeconds),
    '-hls_playlist_type', 'vod',
    '-hls_segment_type', 'mpegts',
    // A segment's final name appears only when it is complete, so it can be stored while ffmpeg goes on.
    '-hls_flags', 'temp_file',
    ...(spec.keyInfoFile ? ['-hls_key_info_file', spec.keyInfoFile] : []),
    '-hls_segment_filename', `${spec.outputDir}/${SEGMENT_PATTERN}`,
    '-progress', 'pipe:1',
    '-nostats',
    `${spec.outputDir}/${PLAYLIST_NAME}`,
  ];
  return [...input, ...map, ...codecs, ...hls];
}

function transcodeArgs(spec: HlsPackageSpec): string[] {
  return [
    '-c:v', 'libx264',
    '-preset', spec.preset ?? 'veryfast',
    '-crf', '23',
    '-pix_fmt', 'yuv420p',
    // Keep the source size up to 1080p; even dimensions are required by 4:2:0.
    '-vf', "scale=w='min(iw,1920)':h='min(ih,1080)':force_original_aspect_ratio=decrease:force_divisible_by=2",
    // A keyframe at every segment boundary, so segments are ~segmentSeconds and start decodable.
    '-force_key_frames', `expr:gte(t,n_forced*${spec.segmentSeconds})`,
    '-sc_threshold', '0',
    '-c:a', 'aac',
    '-b:a', '128k',
    '-ac', '2',
  ];
}

export function keyInfoFileContent(keyUri: string, keyFile: string, ivHex: string): string {
  if (!/^[0-9a-f]{32}$/i.test(ivHex)) throw new RangeError('IV must be 16 bytes of hex');
  return `${keyUri}\n${keyFile}\n${ivHex}\n`;
}
