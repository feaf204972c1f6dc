/** A packaged VOD playlist as we wrote it: segment names relative to the playlist, one key. */
export interface PlaylistSummary {
  segments: { name: string; durationSeconds: number }[];
  totalSeconds: number;
  encrypted: boolean;
}

const SEGMENT_NAME = /^seg-\d{5}\.ts$/;

export function isSegmentName(name: string): boolean {
  return SEGMENT_NAME.test(name);
}

export function summarisePlaylist(text: string): PlaylistSummary {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') throw new Error('not an HLS playlist');
  const segments: PlaylistSummary['segments'] = [];
  let pending: number | undefined;
  let encrypted = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8));
    else if (line.startsWith('#EXT-X-KEY:')) encrypted = /METHOD=AES-128/.test(line);
    else if (line && !line.startsWith('#')) {
      if (!isSegmentName(line)) throw new Error(`unexpected segment URI: ${line}`);
      segments.push({ name: line, durationSeconds: pending ?? 0 });
      pending = undefined;
    }
  }
  return { segments, totalSeconds: segments.reduce((s, x) => s + x.durationSeconds, 0), encrypted };
}

export interface PlaylistUrls {
  key(): string;
  segment(name: string): string;
}

/**
 * The stored playlist with every URI replaced per request: the key URI and each segment get
 * their own signed, expiring URL. Anything we did not write ourselves is refused, so a stored
 * playlist can never point a player elsewhere.
 */
export function rewritePlaylist(text: string, urls: PlaylistUrls): string {
  return text
    .split(/\r?\n/)
    .map((raw) => {
      const line = raw.trim();
      if (line.startsWith('#EXT-X-KEY:')) return line.replace(/URI="[^"]*"/, `URI="${urls.key()}"`);
      if (line && !line.startsWith('#')) {
        if (!isSegmentName(line)) throw new Error(`unexpected segment URI: ${line}`);
        return urls.segment(line);
      }
      return line;
    })
    .join('\n');
}

/**
 * Declares AES-128 for every segment: one key tag before the first segment, without an IV
 * attribute, so each segment's IV is its media sequence number (RFC 8216 §5.2) — distinct per
 * segment, as {@link encryptingStream} uses it.
 */
export function withAes128KeyTag(text: string, keyUri = 'key'): string {
  if (/#EXT-X-KEY:/.test(text)) throw new Error('playlist already has a key tag');
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('#EXTINF:'));
  if (first < 0) throw new Error('playlist has no segments');
  lines.splice(first, 0, `#EXT-X-KEY:METHOD=AES-128,URI="${keyUri}"`);
  return lines.join('\n');
}

export function mediaSequenceOf(text: string): number {
  return Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
}
