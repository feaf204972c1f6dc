export interface FfmpegProgress {
  /** 0–100, from out_time against the known duration. */
  percent: number;
  outTimeSeconds: number;
  /** Encoding speed relative to realtime, when ffmpeg reports one. */
  speed?: number;
  done: boolean;
}

/**
 * Reads ffmpeg's `-progress` output (blocks of key=value lines, each ending with
 * `progress=continue|end`) and yields one update per block.
 */
export class ProgressParser {
  private buffer = '';
  private block: Record<string, string> = {};

  constructor(private readonly durationSeconds: number) {}

  push(chunk: string): FfmpegProgress[] {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    const out: FfmpegProgress[] = [];
    for (const raw of lines) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      this.block[key] = value;
      if (key === 'progress') {
        out.push(this.toProgress(value === 'end'));
        this.block = {};
      }
    }
    return out;
  }

  private toProgress(done: boolean): FfmpegProgress {
    // out_time_us is the precise one; out_time_ms is also microseconds (a long-standing ffmpeg quirk).
    const us = Number(this.block.out_time_us ?? this.block.out_time_ms);
    const outTimeSeconds = Number.isFinite(us) && us > 0 ? us / 1e6 : 0;
    const ratio = this.durationSeconds > 0 ? outTimeSeconds / this.durationSeconds : 0;
    const speed = this.block.speed ? Number.parseFloat(this.block.speed) : undefined;
    return {
      percent: done ? 100 : Math.max(0, Math.min(99, Math.floor(ratio * 100))),
      outTimeSeconds,
      speed: speed !== undefined && Number.isFinite(speed) ? speed : undefined,
      done,
    };
  }
}
