import { checkRecording, ProbedFile, reasonText } from './recording-checks';

const settings = { minCoverage: 0.95, maxGapSeconds: 120, minHeight: 480, minFps: 15 };
const startsAt = new Date('2026-12-01T01:00:00Z');
const endsAt = new Date('2026-12-01T02:00:00Z'); // 60 minutes
const file = (name: string, durationSeconds: number, over: Partial<ProbedFile> = {}): ProbedFile => ({ name, order: 0, isVideo: true, durationSeconds, width: 1280, height: 720, fps: 25, ...over });
const at = (min: number) => new Date(startsAt.getTime() + min * 60_000);

describe('checkRecording', () => {
  it('one full-length file passes', () => {
    const v = checkRecording([file('a.mp4', 3600)], { startsAt, endsAt }, settings);
    expect(v).toMatchObject({ passed: true, coverage: 1, coveredSeconds: 3600, timeline: 'order', reasons: [] });
  });

  it('30 minutes for a 60-minute session is too short, with the figures', () => {
    const v = checkRecording([file('a.mp4', 1800)], { startsAt, endsAt }, settings);
    expect(v.passed).toBe(false);
    expect(v.reasons).toEqual([{ code: 'TOO_SHORT', coveredSeconds: 1800, scheduledSeconds: 3600, coverage: 0.5, minCoverage: 0.95 }]);
    expect(reasonText(v.reasons[0])).toBe('录像共覆盖 30 分钟，课程表安排 60 分钟（覆盖 50%，要求不低于 95%）');
  });

  it('the tolerance is the setting: 96 % passes at 95 %, fails at 97 %', () => {
    expect(checkRecording([file('a.mp4', 3456)], { startsAt, endsAt }, settings).passed).toBe(true);
    expect(checkRecording([file('a.mp4', 3456)], { startsAt, endsAt }, { ...settings, minCoverage: 0.97 }).passed).toBe(false);
  });

  it('several files without start times are back to back in upload order and add up', () => {
    const v = checkRecording([file('2.mp4', 1800, { order: 2 }), file('1.mp4', 1800, { order: 1 })], { startsAt, endsAt }, settings);
    expect(v).toMatchObject({ passed: true, timeline: 'order', segments: [{ file: '1.mp4', from: 0, to: 1800 }, { file: '2.mp4', from: 1800, to: 3600 }], gaps: [], overlaps: [] });
  });

  it('with start times: a gap between files is reported and fails past the setting; an overlap is reported and counted once', () => {
    const gap = checkRecording([file('a', 1500, { startedAt: at(0) }), file('b', 1800, { startedAt: at(30) })], { startsAt, endsAt }, settings);
    expect(gap.timeline).toBe('timestamps');
    expect(gap.gaps).toEqual([{ after: 'a', before: 'b', seconds: 300 }]);
    expect(gap.reasons.map((r) => r.code)).toEqual(['GAP', 'TOO_SHORT']);
    const overlap = checkRecording([file('a', 2000, { startedAt: at(0) }), file('b', 1800, { startedAt: at(30) })], { startsAt, endsAt }, settings);
    expect(overlap.overlaps).toEqual([{ first: 'a', second: 'b', seconds: 200 }]);
    expect(overlap).toMatchObject({ passed: true, coveredSeconds: 3600 });
    const small = checkRecording([file('a', 1790, { startedAt: at(0) }), file('b', 1800, { startedAt: at(30) })], { startsAt, endsAt }, settings);
    expect(small).toMatchObject({ passed: true, gaps: [{ seconds: 10 }] });
  });

  it('recording before the start or after the end does not count towards coverage', () => {
    const v = checkRecording([file('a', 3600, { startedAt: at(-30) })], { startsAt, endsAt }, settings);
    expect(v).toMatchObject({ coveredSeconds: 1800, passed: false });
  });

  it('resolution and frame-rate floors (the shorter side counts, so portrait is fine); a non-video file fails', () => {
    const v = checkRecording(
      [file('low.mp4', 1200, { order: 1, width: 640, height: 360 }), file('choppy.mp4', 1200, { order: 2, fps: 10 }), file('portrait.mp4', 1200, { order: 3, width: 720, height: 1280 }), file('x.pdf', 0, { order: 4, isVideo: false })],
      { startsAt, endsAt },
      settings,
    );
    expect(v.reasons).toEqual([
      { code: 'LOW_RESOLUTION', file: 'low.mp4', width: 640, height: 360, minHeight: 480 },
      { code: 'LOW_FRAME_RATE', file: 'choppy.mp4', fps: 10, minFps: 15 },
      { code: 'NOT_VIDEO', file: 'x.pdf' },
    ]);
    expect(v.coveredSeconds).toBe(3600);
    for (const r of v.reasons) expect(reasonText(r)).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('no files is its own reason', () => {
    expect(checkRecording([], { startsAt, endsAt }, settings).reasons).toEqual([{ code: 'NO_FILES' }]);
  });
});
