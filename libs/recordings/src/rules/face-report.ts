/**
 * Faces in a session's recording against its signed-in trainees. Pure: what the sampled frames
 * showed (each face's best 1:N candidate among the signed-in trainees) in, a report out.
 * 002_… §四(四) asks that the recording 能够识别出参训人员体貌特征; a session where far fewer
 * trainees are seen than signed in, or where signed-in trainees never appear, is what an auditor
 * looks at first (a fake class, absent trainees signed in by others).
 */

export interface SampledFace {
  /** Seconds into the recording. */
  readonly t: number;
  readonly descriptor: readonly number[];
  /** Distance to each signed-in trainee's nearest reference. */
  readonly candidates: readonly { traineeId: string; distance: number }[];
}

export interface FaceReportSettings {
  readonly threshold: number;
  /** A best candidate must beat the second by this much to count (the kiosk's identify margin). */
  readonly margin: number;
  readonly minSeenRatio: number;
}

export interface TraineeSeen {
  readonly traineeId: string;
  readonly name: string;
  readonly seen: boolean;
  /** Sampled frames they were matched in. */
  readonly frames: number;
  readonly firstSeenAt?: number;
  readonly bestDistance?: number;
}

export type FaceFlag =
  | { code: 'FEW_SEEN'; seen: number; signedIn: number; ratio: number; minRatio: number }
  | { code: 'SIGNED_IN_NOT_SEEN'; traineeIds: string[]; names: string[] }
  | { code: 'REUSED'; sessionIds: string[] };

export interface FaceReport {
  readonly sampledFrames: number;
  readonly facesDetected: number;
  /** Distinct people across the samples (faces clustered by descriptor distance). */
  readonly distinctFaces: number;
  readonly trainees: readonly TraineeSeen[];
  readonly flags: readonly FaceFlag[];
}

const dist = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};

/** The face's trainee when the best candidate is within the threshold and clearly ahead of the next. */
export function matchOf(face: SampledFace, s: Pick<FaceReportSettings, 'threshold' | 'margin'>): { traineeId: string; distance: number } | undefined {
  const [best, second] = [...face.candidates].sort((a, b) => a.distance - b.distance);
  if (!best || best.distance > s.threshold) return undefined;
  if (second && second.distance <= s.threshold && second.distance - best.distance < s.margin) return undefined;
  return best;
}

/**
 * People across the samples: greedy single-link clustering — a face joins the first cluster that
 * has a member within the threshold. Faces matched to the same trainee are one person whatever
 * their distance.
 */
export function distinctFaces(faces: readonly SampledFace[], s: Pick<FaceReportSettings, 'threshold' | 'margin'>): number {
  const clusters: { trainee?: string; members: (readonly number[])[] }[] = [];
  for (const f of faces) {
    const trainee = matchOf(f, s)?.traineeId;
    const home = (trainee && clusters.find((c) => c.trainee === trainee)) || clusters.find((c) => (!trainee || !c.trainee) && c.members.some((m) => dist(m, f.descriptor) <= s.threshold));
    if (home) {
      home.members.push(f.descriptor);
      home.trainee ??= trainee;
    } else clusters.push({ trainee, members: [f.descriptor] });
  }
  return clusters.length;
}

export function faceReport(sampledFrames: number, faces: readonly SampledFace[], signedIn: readonly { traineeId: string; name: string }[], s: FaceReportSettings, reusedIn: readonly string[] = []): FaceReport {
  const seen = new Map<string, { frames: Set<number>; first: number; best: number }>();
  for (const f of faces) {
    const m = matchOf(f, s);
    if (!m) continue;
    const e = seen.get(m.traineeId) ?? { frames: new Set<number>(), first: f.t, best: m.distance };
    e.frames.add(f.t);
    e.first = Math.min(e.first, f.t);
    e.best = Math.min(e.best, m.distance);
    seen.set(m.traineeId, e);
  }
  const trainees: TraineeSeen[] = signedIn.map(({ traineeId, name }) => {
    const e = seen.get(traineeId);
    return e ? { traineeId, name, seen: true, frames: e.frames.size, firstSeenAt: e.first, bestDistance: Math.round(e.best * 10000) / 10000 } : { traineeId, name, seen: false, frames: 0 };
  });
  const flags: FaceFlag[] = [];
  const seenCount = trainees.filter((t) => t.seen).length;
  const ratio = signedIn.length === 0 ? 1 : seenCount / signedIn.length;
  if (ratio < s.minSeenRatio) flags.push({ code: 'FEW_SEEN', seen: seenCount, signedIn: signedIn.length, ratio: Math.round(ratio * 1000) / 1000, minRatio: s.minSeenRatio });
  const missing = trainees.filter((t) => !t.seen);
  if (missing.length > 0) flags.push({ code: 'SIGNED_IN_NOT_SEEN', traineeIds: missing.map((t) => t.traineeId), names: missing.map((t) => t.name) });
  if (reusedIn.length > 0) flags.push({ code: 'REUSED', sessionIds: [...reusedIn] });
  return { sampledFrames, facesDetected: faces.length, distinctFaces: distinctFaces(faces, s), trainees, flags };
}

/**
 * Whether two recordings are the same footage: most of this one's sampled frames have a
 * near-identical frame (dHash within `maxBits`) in the other. Frames of a static empty room look
 * alike too, so a recording needs a few frames before it can be called reused.
 */
export function framesReused(mine: readonly string[], theirs: readonly string[], hashDistance: (a: string, b: string) => number, opts = { maxBits: 12, minShare: 0.8, minFrames: 3 }): boolean {
  if (mine.length < opts.minFrames || theirs.length < opts.minFrames) return false;
  const hits = mine.filter((h) => theirs.some((o) => hashDistance(h, o) <= opts.maxBits)).length;
  return hits / mine.length >= opts.minShare;
}

/** zh-CN sentence per flag. */
export function flagText(f: FaceFlag): string {
  switch (f.code) {
    case 'FEW_SEEN':
      return `录像中识别出 ${f.seen} 名签到学员，签到 ${f.signedIn} 人（${Math.round(f.ratio * 100)}%，低于 ${Math.round(f.minRatio * 100)}%）`;
    case 'SIGNED_IN_NOT_SEEN':
      return `已签到但录像中未出现：${f.names.join('、')}`;
    case 'REUSED':
      return `同一录像还用于其他 ${f.sessionIds.length} 个课次`;
  }
}
