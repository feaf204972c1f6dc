import type { RecordingFact } from '../facts/facts';
import { recordingSignals } from './recordings';

const rec = (id: string, cs: string, over: Partial<RecordingFact> = {}): RecordingFact => ({
  recordingId: id, classSessionId: cs, owner: { traineeId: 't', programId: 'p', institutionId: 'i', regionCode: '230702' },
  scheduledSeconds: 7200, durationSeconds: 7200, maxFaces: 30, signedIn: 30, sha256: id, at: 0, ...over,
});
const settings = { recordingMinShare: 0.95, recordingMinFaceShare: 0.5 };

describe('recordingSignals', () => {
  it('is quiet for a full recording showing the class', () => {
    expect(recordingSignals([rec('r1', 'a'), rec('r2', 'b')], settings)).toEqual([]);
  });

  it('flags a short recording, few faces and a file used for two sessions', () => {
    const out = recordingSignals([rec('r1', 'a', { durationSeconds: 3600, maxFaces: 5 }), rec('r2', 'b', { sha256: 'r1' })], settings);
    expect(out.map((s) => s.code).sort()).toEqual(['recording-few-faces', 'recording-reused', 'recording-reused', 'recording-short']);
    expect(out.find((s) => s.code === 'recording-short')!.detail).toBe('录像 60 分钟，课程表 120 分钟');
  });
});
