import { cropOf, frameTime, sampleFramesArgs } from './frame-sampling';

describe('frame sampling', () => {
  it('samples one key frame every N seconds at most 720 lines high, progress on stdout', () => {
    const args = sampleFramesArgs('/in/rec.mp4', '/tmp/frames', 10);
    expect(args).toEqual(['-hide_banner', '-nostdin', '-loglevel', 'error', '-skip_frame', 'nokey', '-i', '/in/rec.mp4', '-an', '-vf', "fps=1/10,scale=-2:'min(720,ih)'", '-vsync', 'vfr', '-q:v', '3', '-progress', 'pipe:1', '/tmp/frames/f-%06d.jpg']);
    expect(sampleFramesArgs('/in/rec.mp4', '/tmp/frames', 2, false)).not.toContain('-skip_frame');
    expect(() => sampleFramesArgs('/in', '/out', 0)).toThrow(RangeError);
    expect(frameTime(1, 10)).toBe(0);
    expect(frameTime(4, 10)).toBe(30);
  });

  it('a face crop is widened by the margin and clipped to the frame', () => {
    expect(cropOf({ x: 100, y: 100, width: 50, height: 50 }, { width: 1280, height: 720 })).toEqual({ left: 70, top: 70, width: 110, height: 110 });
    expect(cropOf({ x: 0, y: 690, width: 40, height: 30 }, { width: 1280, height: 720 })).toEqual({ left: 0, top: 672, width: 64, height: 48 });
  });
});
