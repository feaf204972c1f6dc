// Session recordings in tests: short generated clips (ffmpeg lavfi, TESTING.md) and the tus upload
// of one to a session, as an institution's console does it.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { tusUpload } from '../../libs/media/test-support/tus-client';

const run = promisify(execFile);
export const RECORDING_UPLOADS = '/api/v1/recording-uploads';

/**
 * A clip of `seconds` at `size` and `fps` (defaults meet the default floors: 480 px, 15 fps).
 * `pattern` picks the lavfi source so two clips of the same length differ in content and hash.
 */
export async function makeClip(dir: string, name: string, seconds: number, opts: { size?: string; fps?: number; pattern?: 'testsrc' | 'testsrc2' | 'smptebars' } = {}): Promise<Buffer> {
  const file = path.join(dir, name);
  const src = `${opts.pattern ?? 'testsrc'}=size=${opts.size ?? '480x480'}:rate=${opts.fps ?? 15}:duration=${seconds}`;
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', src, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '45', '-g', '60', '-pix_fmt', 'yuv420p', file]);
  return fs.readFile(file);
}

/** One file of a session's recording over tus; `passed`/`accepted` are the final response's headers. */
export async function uploadRecording(base: string, token: string, sessionId: string, bytes: Buffer, filename: string): Promise<{ status: number; passed?: string; accepted?: string; body: string }> {
  const { create, patch } = await tusUpload(base, token, bytes, { sessionId, filename }, RECORDING_UPLOADS);
  const last = patch ?? create;
  return { status: last.status, passed: last.headers.get('recording-passed') ?? undefined, accepted: last.headers.get('session-accepted') ?? undefined, body: last.body };
}

/** A clip of a still photo (a fixture face) held for `seconds`: a "recording" in which that person is seen throughout. */
export async function makeFaceClip(dir: string, name: string, photo: string, seconds: number): Promise<Buffer> {
  const file = path.join(dir, name);
  await run('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', photo, '-t', String(seconds), '-r', '5', '-vf', 'scale=-2:480', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', file]);
  return fs.readFile(file);
}
