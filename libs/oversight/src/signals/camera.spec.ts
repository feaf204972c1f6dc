import { livenessSignals, virtualCameraSignals } from './camera';

const owner = { traineeId: 't', programId: 'p', institutionId: 'i', regionCode: '230702' };

describe('virtualCameraSignals', () => {
  it('flags labels naming a virtual camera, case-insensitively, and not real ones', () => {
    const out = virtualCameraSignals(
      [
        { sessionId: 's1', owner, label: 'OBS Virtual Camera', at: 1 },
        { sessionId: 's2', owner, label: 'Integrated Webcam (0bda:58f4)', at: 1 },
        { sessionId: 's3', owner, label: 'ManyCam Video Source', at: 1 },
      ],
      ['obs', 'manycam', 'virtual'],
    );
    expect(out.map((s) => s.subject.id)).toEqual(['s1', 's3']);
    expect(out[0].detail).toContain('OBS Virtual Camera');
  });
});

describe('livenessSignals', () => {
  it('flags sessions with captures judged not live', () => {
    const out = livenessSignals([
      { captureId: 'c1', sessionId: 's1', owner, live: true, score: 0.9, at: 3 },
      { captureId: 'c2', sessionId: 's1', owner, live: false, score: 0.1, at: 2 },
      { captureId: 'c3', sessionId: 's2', owner, live: true, score: 0.8, at: 2 },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'liveness-failed', strength: 0.5, subject: { id: 's1', at: 2 } });
  });
});
