import * as path from 'node:path';

export const FRAME_PATTERN = 'f-%06d.jpg';

/**
 * ffmpeg arguments that write one JPEG every `everySeconds` of the recording into `outDir`, at most
 * 720 lines high. Only key frames are decoded (`-skip_frame nokey`): a camera writes one every few
 * seconds, so sampling every ten seconds needs no more, and decoding is what costs (this is what
 * keeps analysis well above real time).
 */
export function sampleFramesArgs(input: string, outDir: string, everySeconds: number, keyFramesOnly = true): string[] {
  if (!(everySeconds > 0)) throw new RangeError('sampling interval must be positive');
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel', 'error',
    ...(keyFramesOnly ? ['-skip_frame', 'nokey'] : []),
    '-i', input,
    '-an',
    '-vf', `fps=1/${everySeconds},scale=-2:'min(720,ih)'`,
    '-vsync', 'vfr',
    '-q:v', '3',
    '-progress', 'pipe:1',
    path.join(outDir, FRAME_PATTERN),
  ];
}

/** Seconds into the file of the n-th sampled frame (1-based, as ffmpeg numbers them). */
export const frameTime = (n: number, everySeconds: number) => (n - 1) * everySeconds;

/** A face's box widened by `margin` of its size on each side and kept inside the frame: the crop the engine describes alone. */
export function cropOf(box: { x: number; y: number; width: number; height: number }, frame: { width: number; height: number }, margin = 0.6): { left: number; top: number; width: number; height: number } {
  const left = Math.max(0, Math.floor(box.x - box.width * margin));
  const top = Math.max(0, Math.floor(box.y - box.height * margin));
  const right = Math.min(frame.width, Math.ceil(box.x + box.width * (1 + margin)));
  const bottom = Math.min(frame.height, Math.ceil(box.y + box.height * (1 + margin)));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}
