/**
 * Whether oversight has put a trainee (or their institution) under watch, and how much more often
 * their face is then checked. Study asks at session open; oversight answers (apps/api wires its
 * adapter), so this context does not depend on the one that audits it.
 */
export interface StudyWatch {
  /** 1 when nobody watches; else the strongest active watch's factor (2–10). */
  factorFor(subject: { readonly traineeId: string; readonly institutionId: string }, now: number): Promise<number>;
}

export const StudyWatchToken = Symbol('StudyWatch');

/** Where no oversight is wired (the seed, a worker without it): nobody is watched. */
export const NOBODY_WATCHED: StudyWatch = { factorFor: async () => 1 };
