import { assessEnrolment, DEFAULT_ENROLMENT_THRESHOLDS as T, enrolmentQuality } from './enrolment-gates';
import { EnrolmentRejections } from './rejections';
import type { FaceObservation } from './types';

const good: FaceObservation = {
  box: { x: 100, y: 80, width: 200, height: 220 },
  score: 0.95,
  detector: 'tiny',
  pose: { yaw: 0.02, pitch: 0.55, roll: 3 },
  sharpness: 800,
  brightness: 130,
  landmarks: [],
};
const face = (patch: Partial<FaceObservation>): FaceObservation => ({ ...good, ...patch });

describe('assessEnrolment', () => {
  it('accepts one well-lit, sharp, frontal, large face', () => {
    expect(assessEnrolment([good])).toBeNull();
  });

  it.each([
    ['FACE_NONE', []],
    ['FACE_MULTIPLE', [good, good]],
    ['FACE_TOO_SMALL', [face({ box: { x: 0, y: 0, width: T.minFaceSize - 1, height: 200 } })]],
    ['FACE_LOW_CONFIDENCE', [face({ score: T.minConfidence - 0.01 })]],
    ['FACE_NOT_FRONTAL', [face({ pose: { yaw: T.maxAbsYaw + 0.05, pitch: 0.55, roll: 0 } })]],
    ['FACE_NOT_FRONTAL', [face({ pose: { yaw: 0, pitch: 0.55, roll: -(T.maxAbsRoll + 1) } })]],
    ['FACE_NOT_FRONTAL', [face({ pose: { yaw: 0, pitch: T.maxPitch + 0.05, roll: 0 } })]],
    ['FACE_NOT_FRONTAL', [face({ pose: { yaw: 0, pitch: T.minPitch - 0.05, roll: 0 } })]],
    ['FACE_TOO_DARK', [face({ brightness: T.minBrightness - 1 })]],
    ['FACE_TOO_BRIGHT', [face({ brightness: T.maxBrightness + 1 })]],
    ['FACE_BLURRED', [face({ sharpness: T.minSharpness - 1 })]],
  ] as const)('refuses with %s', (code, faces) => {
    const r = assessEnrolment([...faces]);
    expect(r?.code).toBe(code);
    expect(r?.message).toBe(EnrolmentRejections[code]);
  });

  it('reports the first thing to fix: a tiny face is "come closer", not "blurred"', () => {
    const r = assessEnrolment([face({ box: { x: 0, y: 0, width: 30, height: 30 }, sharpness: 1, brightness: 10 })]);
    expect(r?.code).toBe('FACE_TOO_SMALL');
    expect(r?.details).toEqual({ faceSize: 30, min: T.minFaceSize });
  });

  it('honours custom thresholds', () => {
    expect(assessEnrolment([good], { ...T, minFaceSize: 300 })?.code).toBe('FACE_TOO_SMALL');
  });

  it('every rejection message is Chinese and says what to do', () => {
    for (const m of Object.values(EnrolmentRejections)) expect(m).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('enrolmentQuality', () => {
  it('ranks a better reference above a worse one, within 0..1', () => {
    const q1 = enrolmentQuality(good);
    const q2 = enrolmentQuality(face({ sharpness: 70, pose: { yaw: 0.25, pitch: 0.5, roll: 15 }, brightness: 70 }));
    expect(q1.score).toBeGreaterThan(q2.score);
    for (const q of [q1, q2]) {
      expect(q.score).toBeGreaterThanOrEqual(0);
      expect(q.score).toBeLessThanOrEqual(1);
    }
    expect(q1.faceSize).toBe(200);
  });
});
