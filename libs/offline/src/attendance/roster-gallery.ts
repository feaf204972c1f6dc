import { Inject, Injectable } from '@nestjs/common';
import { FaceEnrolmentService, systemScope } from '@app/identity';
import { Clock, ClockToken } from '@app/platform';
import { RosterRepository } from '../persistence/roster.repository';

const SCOPE = systemScope('线下考勤：读取班次花名册学员本人已启用的人脸底库（1:N 识别）');
/** References change rarely (enrolment, review, withdrawal); a kiosk queue of 80 must not reload them per frame. */
const TTL_MS = 30_000;

export interface RosterFaces {
  readonly traineeId: string;
  readonly descriptors: number[][];
}

/**
 * A class's roster with each member's active face references (consent given, reviewed), kept
 * briefly in memory for the kiosk's 1:N search. Only roster members are ever candidates: the
 * search is against the class, never the whole platform.
 */
@Injectable()
export class RosterGallery {
  private readonly cache = new Map<string, { at: number; faces: Promise<RosterFaces[]> }>();

  constructor(
    private readonly roster: RosterRepository,
    private readonly enrolment: FaceEnrolmentService,
    @Inject(ClockToken) private readonly clock: Clock,
  ) {}

  facesOf(classId: string): Promise<RosterFaces[]> {
    const hit = this.cache.get(classId);
    if (hit && this.clock.now() - hit.at < TTL_MS) return hit.faces;
    const faces = this.load(classId);
    this.cache.set(classId, { at: this.clock.now(), faces });
    faces.catch(() => this.cache.delete(classId));
    return faces;
  }

  /** The roster changed: the next frame reloads it. */
  forget(classId: string): void {
    this.cache.delete(classId);
  }

  private async load(classId: string): Promise<RosterFaces[]> {
    const out: RosterFaces[] = [];
    for (const entry of await this.roster.listByClass(classId)) {
      const descriptors = await this.enrolment.activeDescriptors(SCOPE, entry.traineeId);
      if (descriptors.length > 0) out.push({ traineeId: entry.traineeId, descriptors });
    }
    return out;
  }
}
