import { Inject, Injectable } from '@nestjs/common';
import { FaceEngineProvider, FaceImageError } from '@app/face';
import type { CaptureOutcome } from '../checks/check-state';
import { studyError } from '../study.errors';
import { StudyAccess, StudyAccessToken } from './study-access';

/** The face engine's verdict on one capture, in the study context's terms, with what auditors need to see why. */
export interface CaptureVerdict {
  readonly outcome: CaptureOutcome;
  readonly distance: number | null;
  readonly threshold?: number;
  readonly faces: number;
  /** Why the engine could not judge the image (a bad frame), in its own words. */
  readonly note?: string;
}

/** Judges a capture against the trainee's enrolled references: the study context's port to the face engine. */
export abstract class FaceVerifier {
  abstract verify(traineeId: string, image: Uint8Array): Promise<CaptureVerdict>;
}

const OUTCOME_OF = { match: 'match', mismatch: 'mismatch', absent: 'no-face', multiple: 'several-faces' } as const;

@Injectable()
export class EngineFaceVerifier extends FaceVerifier {
  constructor(
    private readonly face: FaceEngineProvider,
    @Inject(StudyAccessToken) private readonly access: StudyAccess,
  ) {
    super();
  }

  async verify(traineeId: string, image: Uint8Array): Promise<CaptureVerdict> {
    const references = await this.access.references(traineeId);
    if (references.length === 0) throw studyError('FACE_REFERENCE_MISSING');
    const engine = await this.face.engine();
    try {
      const r = await engine.verify(image, references);
      return { outcome: OUTCOME_OF[r.outcome], distance: r.distance, threshold: r.threshold, faces: r.faces };
    } catch (e) {
      // An unreadable frame is the camera's fault, not a verdict on the person: it earns the quick retry.
      if (e instanceof FaceImageError) return { outcome: 'bad-frame', distance: null, faces: 0, note: e.code };
      throw e;
    }
  }
}
