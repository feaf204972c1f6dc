import { Inject, Injectable } from '@nestjs/common';
import { distanceToReferences, FaceEngineProvider, FaceImageError } from '@app/face';
import { OfflineSettings, OfflineSettingsToken } from '../offline-settings';
import { identify } from '../rules/kiosk-rules';
import { RosterGallery } from './roster-gallery';

export type Recognition =
  | { readonly outcome: 'match'; readonly traineeId: string; readonly distance: number; readonly faces: 1 }
  | { readonly outcome: 'no-match' | 'ambiguous'; readonly distance: number | null; readonly faces: 1 }
  | { readonly outcome: 'no-face' | 'several-faces' | 'bad-frame'; readonly distance: null; readonly faces: number };

/**
 * 1:N at the kiosk with the platform's face engine: the frame is described once (verify against
 * every reference of the roster, so the engine decides the mirror pass as it does for 1:1) and the
 * descriptor compared with each member's references; {@link identify} decides.
 */
@Injectable()
export class Recogniser {
  constructor(
    private readonly face: FaceEngineProvider,
    private readonly gallery: RosterGallery,
    @Inject(OfflineSettingsToken) private readonly settings: OfflineSettings,
  ) {}

  async recognise(classId: string, image: Uint8Array): Promise<Recognition> {
    const roster = await this.gallery.facesOf(classId);
    const engine = await this.face.engine();
    try {
      if (roster.length === 0) {
        // Nobody to match; still say whether there was one face, so the refusal is the right one.
        const a = await engine.analyse(image, false);
        return a.faces.length === 1 ? { outcome: 'no-match', distance: null, faces: 1 } : { outcome: a.faces.length === 0 ? 'no-face' : 'several-faces', distance: null, faces: a.faces.length };
      }
      const r = await engine.verify(image, roster.flatMap((m) => m.descriptors));
      if (r.faces === 0 || !r.descriptor) return { outcome: r.faces > 1 ? 'several-faces' : 'no-face', distance: null, faces: r.faces };
      if (r.faces > 1) return { outcome: 'several-faces', distance: null, faces: r.faces };
      const probe = r.descriptor;
      const id = identify(roster.map((m) => ({ traineeId: m.traineeId, distance: distanceToReferences(probe, m.descriptors) })), engine.threshold, this.settings.identifyMargin);
      const distance = id.distance === null ? null : Math.round(id.distance * 10000) / 10000;
      return id.kind === 'match' ? { outcome: 'match', traineeId: id.traineeId, distance: distance!, faces: 1 } : { outcome: id.kind, distance, faces: 1 };
    } catch (e) {
      // An unreadable frame is the camera's fault, not a verdict on anyone.
      if (e instanceof FaceImageError) return { outcome: 'bad-frame', distance: null, faces: 0 };
      throw e;
    }
  }
}
