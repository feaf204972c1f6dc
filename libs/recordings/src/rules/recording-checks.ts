/**
 * Whether a session's recording is what 002_… §四(四) asks: the whole session on video (时长与课程
 * 安排相符), clear and smooth (影像清晰流畅). Pure: the probed files and the timetable in, a verdict
 * with every reason out. A failing recording is kept as evidence; only the verdict says "not accepted".
 */

/** One uploaded file as ffprobe saw it (our own shape, see libs/media VideoInfo). */
export interface ProbedFile {
  readonly name: string;
  /** Upload order: the timeline when the files carry no start time. */
  readonly order: number;
  readonly isVideo: boolean;
  readonly durationSeconds: number;
  /** Container creation time, when the camera wrote one. */
  readonly startedAt?: Date;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export interface CheckSettings {
  /** Share of the scheduled time the files must cover, e.g. 0.95. */
  readonly minCoverage: number;
  readonly maxGapSeconds: number;
  readonly minHeight: number;
  readonly minFps: number;
}

export type CheckReason =
  | { code: 'NO_FILES' }
  | { code: 'NOT_VIDEO'; file: string }
  | { code: 'TOO_SHORT'; coveredSeconds: number; scheduledSeconds: number; coverage: number; minCoverage: number }
  | { code: 'GAP'; after: string; before: string; seconds: number }
  | { code: 'LOW_RESOLUTION'; file: string; width: number; height: number; minHeight: number }
  | { code: 'LOW_FRAME_RATE'; file: string; fps: number; minFps: number };

export interface Segment {
  readonly file: string;
  /** Seconds from the scheduled start. */
  readonly from: number;
  readonly to: number;
}

export interface RecordingVerdict {
  readonly passed: boolean;
  /** Seconds of the scheduled time the files cover (overlaps counted once). */
  readonly coveredSeconds: number;
  readonly scheduledSeconds: number;
  readonly coverage: number;
  /** timestamps: placed by the files' start times; order: back to back in upload order. */
  readonly timeline: 'timestamps' | 'order';
  readonly segments: readonly Segment[];
  readonly gaps: readonly { after: string; before: string; seconds: number }[];
  readonly overlaps: readonly { first: string; second: string; seconds: number }[];
  readonly reasons: readonly CheckReason[];
}

/** The shorter side: a portrait phone recording at 720×1280 is as clear as a 1280×720 one. */
const shortSide = (f: ProbedFile) => Math.min(f.width, f.height);

/** The files on the session's clock: by their start times when every file has one, else back to back. */
export function timelineOf(files: readonly ProbedFile[], startsAt: Date): { timeline: RecordingVerdict['timeline']; segments: Segment[] } {
  const videos = files.filter((f) => f.isVideo && f.durationSeconds > 0);
  if (videos.length > 0 && videos.every((f) => f.startedAt)) {
    const segments = videos
      .map((f) => {
        const from = (f.startedAt!.getTime() - startsAt.getTime()) / 1000;
        return { file: f.name, from, to: from + f.durationSeconds };
      })
      .sort((a, b) => a.from - b.from || a.to - b.to);
    return { timeline: 'timestamps', segments };
  }
  let at = 0;
  const segments = [...videos]
    .sort((a, b) => a.order - b.order)
    .map((f) => {
      const s = { file: f.name, from: at, to: at + f.durationSeconds };
      at = s.to;
      return s;
    });
  return { timeline: 'order', segments };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function checkRecording(files: readonly ProbedFile[], schedule: { startsAt: Date; endsAt: Date }, settings: CheckSettings): RecordingVerdict {
  const scheduledSeconds = (schedule.endsAt.getTime() - schedule.startsAt.getTime()) / 1000;
  const reasons: CheckReason[] = [];
  if (files.length === 0) reasons.push({ code: 'NO_FILES' });
  for (const f of files) {
    if (!f.isVideo) {
      reasons.push({ code: 'NOT_VIDEO', file: f.name });
      continue;
    }
    if (shortSide(f) < settings.minHeight) reasons.push({ code: 'LOW_RESOLUTION', file: f.name, width: f.width, height: f.height, minHeight: settings.minHeight });
    if (!(f.fps >= settings.minFps)) reasons.push({ code: 'LOW_FRAME_RATE', file: f.name, fps: round(f.fps), minFps: settings.minFps });
  }
  const { timeline, segments } = timelineOf(files, schedule.startsAt);
  const gaps: { after: string; before: string; seconds: number }[] = [];
  const overlaps: { first: string; second: string; seconds: number }[] = [];
  // Union of the segments clipped to the scheduled time; holes and double-covered stretches between neighbours.
  let covered = 0;
  let reach = Number.NEGATIVE_INFINITY;
  let reachFile = '';
  for (const s of segments) {
    if (reach !== Number.NEGATIVE_INFINITY) {
      if (s.from > reach) gaps.push({ after: reachFile, before: s.file, seconds: round(s.from - reach) });
      else if (s.from < reach) overlaps.push({ first: reachFile, second: s.file, seconds: round(Math.min(reach, s.to) - s.from) });
    }
    const from = Math.max(s.from, reach, 0);
    const to = Math.min(s.to, scheduledSeconds);
    if (to > from) covered += to - from;
    if (s.to > reach) {
      reach = s.to;
      reachFile = s.file;
    }
  }
  for (const g of gaps) if (g.seconds > settings.maxGapSeconds) reasons.push({ code: 'GAP', ...g });
  const coverage = scheduledSeconds > 0 ? covered / scheduledSeconds : 0;
  if (files.length > 0 && coverage < settings.minCoverage) {
    reasons.push({ code: 'TOO_SHORT', coveredSeconds: round(covered), scheduledSeconds, coverage: round(coverage), minCoverage: settings.minCoverage });
  }
  return { passed: reasons.length === 0, coveredSeconds: round(covered), scheduledSeconds, coverage: round(coverage), timeline, segments, gaps, overlaps, reasons };
}

const minutes = (s: number) => `${Math.round(s / 60)} 分钟`;

/** zh-CN sentence for one reason, as the console shows it. */
export function reasonText(r: CheckReason): string {
  switch (r.code) {
    case 'NO_FILES':
      return '尚未上传录像';
    case 'NOT_VIDEO':
      return `文件“${r.file}”不是可识别的视频`;
    case 'TOO_SHORT':
      return `录像共覆盖 ${minutes(r.coveredSeconds)}，课程表安排 ${minutes(r.scheduledSeconds)}（覆盖 ${Math.round(r.coverage * 100)}%，要求不低于 ${Math.round(r.minCoverage * 100)}%）`;
    case 'GAP':
      return `“${r.after}”与“${r.before}”之间中断 ${Math.round(r.seconds)} 秒`;
    case 'LOW_RESOLUTION':
      return `“${r.file}”分辨率 ${r.width}×${r.height}，低于要求（短边不低于 ${r.minHeight} 像素），影像不够清晰`;
    case 'LOW_FRAME_RATE':
      return `“${r.file}”帧率 ${r.fps} 帧/秒，低于要求（不低于 ${r.minFps} 帧/秒），影像不够流畅`;
  }
}
