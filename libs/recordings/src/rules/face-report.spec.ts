import { distinctFaces, faceReport, flagText, framesReused, matchOf, SampledFace } from './face-report';

const s = { threshold: 0.5, margin: 0.04, minSeenRatio: 0.8 };
// Ten trainees, each a point far from the others in a 3-D "descriptor" space.
const people = Array.from({ length: 10 }, (_, i) => ({ traineeId: `t${i}`, name: `学员${i}`, at: [i * 2, 0, 0] }));
const d = (a: number[], b: number[]) => Math.hypot(...a.map((x, i) => x - b[i]));
const face = (t: number, at: number[]): SampledFace => ({ t, descriptor: at, candidates: people.map((p) => ({ traineeId: p.traineeId, distance: d(p.at, at) })) });

describe('face report', () => {
  it('a recording showing 3 of 10 signed-in trainees is flagged, naming who was not seen', () => {
    const shown = [0, 4, 7];
    const faces = shown.flatMap((i) => [face(0, [i * 2 + 0.1, 0, 0]), face(60, [i * 2, 0.1, 0])]);
    const r = faceReport(2, faces, people, s);
    expect(r.trainees.filter((t) => t.seen).map((t) => t.traineeId)).toEqual(['t0', 't4', 't7']);
    expect(r.trainees.find((t) => t.traineeId === 't4')).toMatchObject({ frames: 2, firstSeenAt: 0, bestDistance: 0.1 });
    expect(r.distinctFaces).toBe(3);
    expect(r.flags).toEqual([
      { code: 'FEW_SEEN', seen: 3, signedIn: 10, ratio: 0.3, minRatio: 0.8 },
      { code: 'SIGNED_IN_NOT_SEEN', traineeIds: ['t1', 't2', 't3', 't5', 't6', 't8', 't9'], names: ['学员1', '学员2', '学员3', '学员5', '学员6', '学员8', '学员9'] },
    ]);
    expect(flagText(r.flags[1])).toBe('已签到但录像中未出现：学员1、学员2、学员3、学员5、学员6、学员8、学员9');
  });

  it('everyone seen: no flags; strangers count as distinct faces but match nobody', () => {
    const faces = [...people.map((p, i) => face(i, p.at)), face(3, [100, 0, 0]), face(9, [100, 0.1, 0]), face(9, [0, 100, 0])];
    const r = faceReport(10, faces, people, s);
    expect(r.flags).toEqual([]);
    expect(r.distinctFaces).toBe(12);
    expect(r.facesDetected).toBe(13);
  });

  it('one missing of ten is above the ratio but still named', () => {
    const r = faceReport(1, people.slice(1).map((p) => face(0, p.at)), people, s);
    expect(r.flags).toEqual([{ code: 'SIGNED_IN_NOT_SEEN', traineeIds: ['t0'], names: ['学员0'] }]);
  });

  it('a face between two trainees (ambiguous) or beyond the threshold matches nobody', () => {
    expect(matchOf({ t: 0, descriptor: [], candidates: [{ traineeId: 'a', distance: 0.3 }, { traineeId: 'b', distance: 0.32 }] }, s)).toBeUndefined();
    expect(matchOf({ t: 0, descriptor: [], candidates: [{ traineeId: 'a', distance: 0.6 }] }, s)).toBeUndefined();
    expect(matchOf({ t: 0, descriptor: [], candidates: [{ traineeId: 'a', distance: 0.3 }, { traineeId: 'b', distance: 0.45 }] }, s)).toEqual({ traineeId: 'a', distance: 0.3 });
    expect(distinctFaces([], s)).toBe(0);
  });

  it('reuse: a recording used for another session is flagged with it', () => {
    expect(faceReport(1, [], [], s, ['s2']).flags).toEqual([{ code: 'REUSED', sessionIds: ['s2'] }]);
  });

  it('frames reused: most sampled frames near-identical to the other recording; too few frames decide nothing', () => {
    const hd = (a: string, b: string) => Math.abs(Number(a) - Number(b));
    expect(framesReused(['10', '20', '30', '40'], ['11', '21', '29', '99'], hd)).toBe(true);
    expect(framesReused(['10', '20', '30', '40'], ['60', '80', '30', '99'], hd)).toBe(false);
    expect(framesReused(['10', '20'], ['10', '20'], hd)).toBe(false);
  });
});
