import type { StudySessionFact } from '../facts/facts';
import { deviceKeyOf, sharedDeviceSignals } from './shared-device';

const min = 60_000;
const session = (id: string, trainee: string, startMin: number, client: Partial<StudySessionFact>): StudySessionFact => ({
  sessionId: id,
  owner: { traineeId: trainee, programId: 'p', institutionId: 'i', regionCode: '230702' },
  startedAt: startMin * min,
  endedAt: startMin * min + 30 * min,
  status: 'ended',
  settledSeconds: 1800,
  refusals: [],
  checks: [],
  ...client,
});
const settings = { deviceMinTrainees: 3, deviceWindowMinutes: 60 };
const room = { clientAddress: '10.0.0.9', userAgent: 'Chrome/120' };

describe('deviceKeyOf', () => {
  it('prefers the console fingerprint, else address with user agent, else nothing', () => {
    expect(deviceKeyOf({ fingerprint: 'fp1', clientAddress: 'x', userAgent: 'y' })).toBe('device:fp1');
    expect(deviceKeyOf({ clientAddress: 'x', userAgent: 'y' })).toBe('client:x|y');
    expect(deviceKeyOf({ clientAddress: 'x' })).toBeUndefined();
  });
});

describe('sharedDeviceSignals', () => {
  it('flags every session of three trainees on one client within the window', () => {
    const out = sharedDeviceSignals([session('s1', 'a', 0, room), session('s2', 'b', 20, room), session('s3', 'c', 50, room), session('s4', 'd', 0, { clientAddress: '10.0.0.8', userAgent: 'Chrome/120' })], settings);
    expect(out.map((s) => s.subject.id).sort()).toEqual(['s1', 's2', 's3']);
    expect(out[0].detail).toContain('3 名学员');
    expect(out.find((s) => s.subject.id === 's1')!.facts.map((f) => f.id)).toEqual(['s1', 's2', 's3']);
  });

  it('does not count one trainee studying many sessions, nor trainees spread beyond the window', () => {
    expect(sharedDeviceSignals([session('s1', 'a', 0, room), session('s2', 'a', 10, room), session('s3', 'b', 20, room)], settings)).toEqual([]);
    expect(sharedDeviceSignals([session('s1', 'a', 0, room), session('s2', 'b', 61, room), session('s3', 'c', 122, room)], settings)).toEqual([]);
  });

  it('groups by fingerprint even across addresses', () => {
    const out = sharedDeviceSignals([session('s1', 'a', 0, { fingerprint: 'fp', clientAddress: '1' }), session('s2', 'b', 1, { fingerprint: 'fp', clientAddress: '2' }), session('s3', 'c', 2, { fingerprint: 'fp' })], settings);
    expect(out).toHaveLength(3);
    expect(out[0].detail).toContain('同一设备');
  });

  it('ignores sessions with nothing to identify the client', () => {
    expect(sharedDeviceSignals([session('s1', 'a', 0, {}), session('s2', 'b', 0, {}), session('s3', 'c', 0, {})], settings)).toEqual([]);
  });
});
