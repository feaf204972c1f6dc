/** What the platform needs to know about a media file — our type, not ffprobe's JSON. */
export interface VideoInfo {
  /** ffprobe's format_name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  container: string;
  durationSeconds: number;
  sizeBytes?: number;
  /** The container's creation_time tag (cameras write when recording started), when present and valid. */
  creationTime?: Date;
  video?: { codec: string; width: number; height: number; pixelFormat?: string; frameRate?: number; profile?: string };
  audio?: { codec: string; channels?: number; sampleRate?: number };
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  channels?: number;
  sample_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string; size?: string; tags?: Record<string, string> };
  streams?: ProbeStream[];
}

function rate(r?: string): number | undefined {
  if (!r) return undefined;
  const [n, d] = r.split('/').map(Number);
  return d ? n / d : Number.isFinite(n) && n > 0 ? n : undefined;
}

const num = (s?: string) => (s === undefined || s === 'N/A' ? undefined : Number(s));

/**
 * ffprobe `-show_format -show_streams -of json` → VideoInfo, or undefined when ffprobe found no
 * container. Cover art (attached pictures) is not a video stream.
 */
export function parseProbeOutput(stdout: string): VideoInfo | undefined {
  let json: ProbeJson;
  try {
    json = JSON.parse(stdout) as ProbeJson;
  } catch {
    return undefined;
  }
  if (!json.format?.format_name) return undefined;
  const streams = json.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const duration = num(json.format.duration) ?? num(v?.duration) ?? 0;
  const created = json.format.tags?.creation_time ? new Date(json.format.tags.creation_time) : undefined;
  return {
    container: json.format.format_name,
    ...(created && !Number.isNaN(created.getTime()) ? { creationTime: created } : {}),
    durationSeconds: Number.isFinite(duration) ? duration : 0,
    sizeBytes: num(json.format.size),
    video: v && {
      codec: v.codec_name ?? 'unknown',
      width: v.width ?? 0,
      height: v.height ?? 0,
      pixelFormat: v.pix_fmt,
      frameRate: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate),
      profile: v.profile,
    },
    audio: a && { codec: a.codec_name ?? 'unknown', channels: a.channels, sampleRate: num(a.sample_rate) },
  };
}
