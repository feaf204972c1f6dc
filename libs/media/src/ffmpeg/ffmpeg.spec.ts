import { hlsPackageArgs, keyInfoFileContent, probeArgs } from './ffmpeg-args';
import { isTruncatedOutput, planIngest } from './ingest-plan';
import { ProgressParser } from './progress';
import { parseProbeOutput, VideoInfo } from './video-info';

const h264: VideoInfo = {
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSeconds: 10,
  video: { codec: 'h264', width: 640, height: 360, pixelFormat: 'yuv420p', frameRate: 29.97 },
  audio: { codec: 'aac', channels: 2, sampleRate: 44100 },
};
const limits = { maxDurationSeconds: 60 };

describe('parseProbeOutput', () => {
  it('maps ffprobe JSON to VideoInfo, skipping cover art', () => {
    const json = JSON.stringify({
      format: { format_name: 'mov,mp4', duration: '10.008', size: '613928' },
      streams: [
        { codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
        { codec_type: 'video', codec_name: 'h264', width: 640, height: 360, pix_fmt: 'yuv420p', avg_frame_rate: '2997/100', profile: 'High' },
        { codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '44100' },
      ],
    });
    expect(parseProbeOutput(json)).toEqual({
      container: 'mov,mp4',
      durationSeconds: 10.008,
      sizeBytes: 613928,
      video: { codec: 'h264', width: 640, height: 360, pixelFormat: 'yuv420p', frameRate: 29.97, profile: 'High' },
      audio: { codec: 'aac', channels: 2, sampleRate: 44100 },
    });
  });
  it('is undefined for ffprobe’s empty answer or garbage', () => {
    expect(parseProbeOutput('{\n\n}')).toBeUndefined();
    expect(parseProbeOutput('not json')).toBeUndefined();
  });
  it('takes the stream duration when the container has none, and 0 for N/A', () => {
    expect(parseProbeOutput(JSON.stringify({ format: { format_name: 'h264' }, streams: [{ codec_type: 'video', duration: '4.5' }] }))!.durationSeconds).toBe(4.5);
    expect(parseProbeOutput(JSON.stringify({ format: { format_name: 'h264', duration: 'N/A' }, streams: [] }))!.durationSeconds).toBe(0);
  });
});

describe('planIngest', () => {
  it('remuxes H.264/AAC and H.264 without audio', () => {
    expect(planIngest(1, h264, limits)).toMatchObject({ ok: true, mode: 'remux', durationSeconds: 10 });
    expect(planIngest(1, { ...h264, audio: undefined }, limits)).toMatchObject({ ok: true, mode: 'remux' });
  });
  it('transcodes other codecs, 10-bit or 4:2:2 H.264, and non-AAC audio', () => {
    expect(planIngest(1, { ...h264, video: { ...h264.video!, codec: 'mpeg4' } }, limits)).toMatchObject({ mode: 'transcode' });
    expect(planIngest(1, { ...h264, video: { ...h264.video!, pixelFormat: 'yuv420p10le' } }, limits)).toMatchObject({ mode: 'transcode' });
    expect(planIngest(1, { ...h264, audio: { codec: 'mp3' } }, limits)).toMatchObject({ mode: 'transcode' });
  });
  it.each<[string, number, VideoInfo | undefined, string]>([
    ['an empty file', 0, undefined, 'MEDIA_EMPTY'],
    ['an unreadable file', 10, undefined, 'MEDIA_UNRECOGNISED'],
    ['a text or image demuxer', 10, { ...h264, container: 'tty' }, 'MEDIA_UNRECOGNISED'],
    ['audio only', 10, { ...h264, video: undefined }, 'MEDIA_NO_VIDEO'],
    ['no duration', 10, { ...h264, durationSeconds: 0 }, 'MEDIA_TRUNCATED'],
    ['too long', 10, { ...h264, durationSeconds: 61 }, 'MEDIA_TOO_LONG'],
  ])('rejects %s', (_name, size, info, code) => {
    expect(planIngest(size, info, limits)).toMatchObject({ ok: false, code });
  });
  it('tells a truncated MP4 from an unrecognisable file by ffprobe’s complaint', () => {
    expect(planIngest(10, undefined, limits, '[mov,mp4 @ 0x1] moov atom not found\n')).toMatchObject({ ok: false, code: 'MEDIA_TRUNCATED' });
    expect(planIngest(10, undefined, limits, 'x: Invalid data found when processing input')).toMatchObject({ ok: false, code: 'MEDIA_UNRECOGNISED' });
  });
  it('flags output much shorter than the probe', () => {
    expect(isTruncatedOutput(100, 99)).toBe(false);
    expect(isTruncatedOutput(10, 8.5)).toBe(false);
    expect(isTruncatedOutput(100, 50)).toBe(true);
  });
});

describe('hlsPackageArgs', () => {
  const base = { input: '/in/x', outputDir: '/out', keyInfoFile: '/out/k.info', segmentSeconds: 6 };
  it('stream-copies for remux, with encrypted VOD HLS and progress on stdout', () => {
    const args = hlsPackageArgs({ ...base, mode: 'remux' });
    expect(args.slice(0, 7)).toEqual(['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', '/in/x']);
    expect(args).toEqual(expect.arrayContaining(['-c', 'copy', '-hls_key_info_file', '/out/k.info', '-hls_playlist_type', 'vod']));
    expect(args.join(' ')).toContain('-hls_time 6');
    expect(args.join(' ')).toContain('-map 0:v:0 -map 0:a:0?');
    expect(args.join(' ')).toContain('-hls_segment_filename /out/seg-%05d.ts');
    expect(args.join(' ')).toContain('-progress pipe:1');
    expect(args.join(' ')).toContain('-hls_flags temp_file');
    expect(args.at(-1)).toBe('/out/index.m3u8');
    expect(args).not.toContain('libx264');
  });
  it('leaves encryption to the caller when no key info file is given', () => {
    const { keyInfoFile: _, ...plain } = base;
    expect(hlsPackageArgs({ ...plain, mode: 'remux' })).not.toContain('-hls_key_info_file');
  });
  it('transcodes to H.264/AAC with keyframes on segment boundaries', () => {
    const args = hlsPackageArgs({ ...base, mode: 'transcode', segmentSeconds: 4 }).join(' ');
    expect(args).toContain('-c:v libx264 -preset veryfast');
    expect(args).toContain('-pix_fmt yuv420p');
    expect(args).toContain('-force_key_frames expr:gte(t,n_forced*4)');
    expect(args).toContain('-c:a aac');
    expect(args).not.toContain('-c copy');
  });
  it('probes with JSON output of format and streams', () => {
    expect(probeArgs('/x')).toEqual(['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '/x']);
  });
  it('writes the key info file and refuses a malformed IV', () => {
    expect(keyInfoFileContent('key', '/k', '00112233445566778899aabbccddeeff')).toBe('key\n/k\n00112233445566778899aabbccddeeff\n');
    expect(() => keyInfoFileContent('key', '/k', 'abc')).toThrow(RangeError);
  });
});

describe('ProgressParser', () => {
  it('reports percent per block across chunk boundaries and 100 at the end', () => {
    const p = new ProgressParser(10);
    expect(p.push('frame=1\nout_time_us=2500000\nspe')).toEqual([]);
    expect(p.push('ed=3.5x\nprogress=continue\nout_time_us=')).toEqual([{ percent: 25, outTimeSeconds: 2.5, speed: 3.5, done: false }]);
    expect(p.push('9999999\nprogress=continue\nout_time_us=10000000\nprogress=end\n')).toEqual([
      { percent: 99, outTimeSeconds: 9.999999, speed: undefined, done: false },
      { percent: 100, outTimeSeconds: 10, speed: undefined, done: true },
    ]);
  });
  it('survives N/A values and an unknown duration', () => {
    expect(new ProgressParser(0).push('out_time_us=N/A\nspeed=N/A\nprogress=continue\n')).toEqual([
      { percent: 0, outTimeSeconds: 0, speed: undefined, done: false },
    ]);
  });
});
