import { spawn } from 'node:child_process';
import { Injectable } from '@nestjs/common';
import { probeArgs } from './ffmpeg-args';
import { FfmpegProgress, ProgressParser } from './progress';
import { parseProbeOutput, VideoInfo } from './video-info';

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines ffmpeg wrote to stderr (its errors), for the job's details. */
  stderrTail: string;
}

const TAIL_BYTES = 4000;

/**
 * The only place that spawns ffmpeg/ffprobe. Argument lists come from the pure builders; this
 * class starts the process, streams its progress, and returns our own types.
 */
@Injectable()
export class MediaRunner {
  constructor(
    private readonly ffmpegPath = 'ffmpeg',
    private readonly ffprobePath = 'ffprobe',
  ) {}

  /** VideoInfo when ffprobe recognised a container; otherwise its error text. */
  async probe(file: string, signal?: AbortSignal): Promise<{ info?: VideoInfo; error: string }> {
    const { stdout, stderr } = await this.exec(this.ffprobePath, probeArgs(file), signal);
    return { info: parseProbeOutput(stdout), error: stderr.slice(-TAIL_BYTES) };
  }

  async ffmpeg(args: string[], durationSeconds: number, onProgress: (p: FfmpegProgress) => void, signal?: AbortSignal): Promise<RunResult> {
    const parser = new ProgressParser(durationSeconds);
    const { code, sig, stderr } = await this.exec(this.ffmpegPath, args, signal, (chunk) => parser.push(chunk).forEach(onProgress));
    return { exitCode: code, signal: sig, stderrTail: stderr.slice(-TAIL_BYTES) };
  }

  /** Whether ffmpeg runs at all, for /health. */
  async version(): Promise<string> {
    const { stdout } = await this.exec(this.ffmpegPath, ['-hide_banner', '-version']);
    return stdout.split('\n')[0] ?? '';
  }

  private exec(
    cmd: string,
    args: string[],
    signal?: AbortSignal,
    onStdout?: (chunk: string) => void,
  ): Promise<{ stdout: string; stderr: string; code: number | null; sig: NodeJS.Signals | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        if (onStdout) onStdout(c);
        else stdout += c;
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr = (stderr + c).slice(-TAIL_BYTES * 2);
      });
      child.on('error', reject);
      child.on('close', (code, sig) => resolve({ stdout, stderr, code, sig }));
    });
  }
}
