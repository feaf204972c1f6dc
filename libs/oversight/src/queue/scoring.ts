import { SIGNAL_NAMES, Signal, SignalCode, Subject } from '../signals/signal';

/** A subject with everything raised about it: what the queue stores as one item. */
export interface ScoredSubject {
  readonly subject: Subject;
  readonly signals: readonly Signal[];
  readonly score: number;
  /** The sum as the auditor reads it: `30×人脸核验未通过(0.75) + 10×… = 32.5`. */
  readonly formula: string;
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * score = Σ weight(code) × strength over the subject's signals, one term per code (the strongest
 * signal of a code counts; several of one kind are one reason, not many). Weights are settings.
 */
export function scoreSubject(subject: Subject, signals: readonly Signal[], weights: Readonly<Record<SignalCode, number>>): ScoredSubject {
  const strongest = new Map<SignalCode, Signal>();
  for (const s of signals) {
    const had = strongest.get(s.code);
    if (!had || s.strength > had.strength) strongest.set(s.code, s);
  }
  const terms = [...strongest.values()].map((s) => ({ code: s.code, weight: weights[s.code] ?? 0, strength: s.strength })).sort((a, b) => b.weight * b.strength - a.weight * a.strength || a.code.localeCompare(b.code));
  const score = round(terms.reduce((sum, t) => sum + t.weight * t.strength, 0));
  const formula = `${terms.map((t) => `${t.weight}×${SIGNAL_NAMES[t.code]}(${round(t.strength)})`).join(' + ')} = ${score}`;
  return { subject, signals, score, formula };
}

/** Groups signals by subject and scores each. */
export function scoreAll(signals: readonly Signal[], weights: Readonly<Record<SignalCode, number>>): ScoredSubject[] {
  const bySubject = new Map<string, Signal[]>();
  for (const s of signals) {
    const key = `${s.subject.kind}:${s.subject.id}`;
    bySubject.set(key, [...(bySubject.get(key) ?? []), s]);
  }
  return [...bySubject.values()].map((list) => scoreSubject(list[0].subject, list, weights)).sort((a, b) => b.score - a.score || b.subject.at - a.subject.at);
}
