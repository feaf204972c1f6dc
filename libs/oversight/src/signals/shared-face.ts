import { FaceIndex } from '@app/face';
import type { CaptureDescriptorFact, ReferenceFact } from '../facts/facts';
import { clamp01, FactRef, Owner, Signal } from './signal';
import { traineeSubject } from './subjects';

interface Face {
  readonly id: string;
  readonly kind: FactRef['kind'];
  readonly owner: Owner;
  readonly at: number;
  readonly descriptor: readonly number[];
}

/**
 * One face behind several accounts (虚列参训人员, 代学): every enrolled reference and every capture
 * with a descriptor goes into one 1:N index (the face engine's FaceIndex); any face within the
 * threshold of a face of another trainee links the two, and linked trainees form a group (union–
 * find), across institutions. Facts: the references and captures that matched, with distances.
 * The signal is raised on each trainee of a group, naming the others.
 */
export function sharedFaceSignals(references: readonly ReferenceFact[], captures: readonly CaptureDescriptorFact[], threshold: number, k = 8): Signal[] {
  const faces: Face[] = [
    ...references.filter((r) => r.status === 'active' || r.status === 'held_for_review').map((r) => ({ id: r.referenceId, kind: 'face-reference' as const, owner: r.owner, at: r.enrolledAt, descriptor: r.descriptor })),
    ...captures.map((c) => ({ id: c.captureId, kind: c.kind, owner: c.owner, at: c.at, descriptor: c.descriptor })),
  ];
  if (faces.length < 2) return [];
  const index = new FaceIndex(faces.length);
  faces.forEach((f, i) => index.add({ id: String(i), subjectId: f.owner.traineeId, descriptor: [...f.descriptor] }));

  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let p = parent.get(x) ?? x;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p)!;
    parent.set(x, p);
    return p;
  };
  const links = new Map<string, { face: Face; other: Face; distance: number }[]>();
  const link = (a: Face, b: Face, distance: number) => {
    parent.set(find(a.owner.traineeId), find(b.owner.traineeId));
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const list = links.get(x.owner.traineeId) ?? [];
      list.push({ face: x, other: y, distance });
      links.set(x.owner.traineeId, list);
    }
  };
  faces.forEach((f, i) => {
    for (const hit of index.search([...f.descriptor], k, threshold)) {
      const j = Number(hit.id);
      if (j > i && hit.subjectId !== f.owner.traineeId) link(f, faces[j], hit.distance);
    }
  });

  const groups = new Map<string, Set<string>>();
  for (const trainee of links.keys()) {
    const root = find(trainee);
    groups.set(root, (groups.get(root) ?? new Set()).add(trainee));
  }
  const out: Signal[] = [];
  for (const [trainee, matched] of links) {
    const group = groups.get(find(trainee))!;
    const others = [...group].filter((t) => t !== trainee).sort();
    const nearest = Math.min(...matched.map((m) => m.distance));
    const owner = matched[0].face.owner;
    const institutions = new Set(matched.map((m) => m.other.owner.institutionId));
    out.push({
      code: 'shared-face',
      subject: traineeSubject(owner, Math.max(...matched.map((m) => Math.max(m.face.at, m.other.at)))),
      strength: clamp01(1 - nearest / threshold + 0.5),
      detail: `人脸与另外 ${others.length} 名学员（${others.join('、')}）相同，最近距离 ${nearest.toFixed(3)}${institutions.has(owner.institutionId) && institutions.size === 1 ? '' : '，涉及其他培训机构'}`,
      facts: matched.flatMap((m) => [
        { kind: m.face.kind, id: m.face.id },
        { kind: m.other.kind, id: m.other.id, note: `学员 ${m.other.owner.traineeId}，距离 ${m.distance.toFixed(3)}` },
      ]),
    });
  }
  return out.sort((a, b) => a.subject.id.localeCompare(b.subject.id));
}
