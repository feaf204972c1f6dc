import type { FactBundle } from '../facts/facts';
import { livenessSignals, virtualCameraSignals } from './camera';
import { faceCheckSignals } from './face-checks';
import { impossibleTimeSignals } from './impossible-times';
import { manualAttendanceSignals } from './manual-attendance';
import { randomSampleSignals } from './random-sample';
import { recordingSignals } from './recordings';
import { referenceChangeSignals } from './reference-change';
import { refusalSignals } from './refusals';
import type { SignalSettings } from './settings';
import { sharedDeviceSignals } from './shared-device';
import { sharedFaceSignals } from './shared-face';
import type { Signal, Subject } from './signal';
import { attendanceSubject, sessionSubject } from './subjects';

/** Every signal over one window's facts; the random sample is drawn among the sessions and attendance that raised nothing else. */
export function allSignals(facts: FactBundle, settings: SignalSettings): Signal[] {
  const raised = [
    ...faceCheckSignals(facts.sessions, settings),
    ...sharedFaceSignals(facts.references, facts.captureDescriptors, settings.matchThreshold),
    ...sharedDeviceSignals(facts.sessions, settings),
    ...impossibleTimeSignals(facts.sessions, facts.attendance, settings),
    ...refusalSignals(facts.sessions, settings),
    ...manualAttendanceSignals(facts.attendance),
    ...referenceChangeSignals(facts.references, facts.sessions, settings),
    ...recordingSignals(facts.recordings, settings),
    ...virtualCameraSignals(facts.cameras, settings.virtualCameraLabels),
    ...livenessSignals(facts.liveness),
  ];
  const flagged = new Set(raised.map((s) => `${s.subject.kind}:${s.subject.id}`));
  const ordinary: Subject[] = [...facts.sessions.map(sessionSubject), ...facts.attendance.map(attendanceSubject)].filter((s) => !flagged.has(`${s.kind}:${s.id}`));
  return [...raised, ...randomSampleSignals(ordinary, settings.sampleRate, settings.sampleSeed)];
}
