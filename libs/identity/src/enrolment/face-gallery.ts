import { Injectable } from '@nestjs/common';
import { FaceIndex, SearchHit } from '@app/face';
import { systemScope } from '../auth/tenant-scope';
import { FaceReferenceRepository } from './face-reference.repository';
import { GALLERY_STATUSES } from './duplicate-decision';

/** Another process may stamp updatedAt with a slightly earlier clock; looking back this far catches it. */
const CLOCK_MARGIN_MS = 5_000;
/** Duplicates are searched across every institution of a program, whoever enrols: no caller's scope applies. */
const GALLERY_SCOPE = systemScope('人脸查重：在本项目所有机构的人脸底库中比对');

interface ProgramGallery {
  index: FaceIndex;
  /** Newest updatedAt seen. */
  seen: Date;
}

/**
 * 1:N duplicate-person search per program: an in-memory FaceIndex per program, built from the
 * database on first use and brought up to date before every search by reading only references
 * whose updatedAt moved (new, reviewed, retired). So the database stays the truth, several API
 * processes stay correct, and a search costs one small indexed read plus a brute-force scan
 * (well under 20 ms for 100,000 faces, see libs/face). A full scan of the descriptors per
 * enrolment would read ~1 KB per reference from the database every time instead.
 */
@Injectable()
export class FaceGallery {
  private readonly programs = new Map<string, ProgramGallery>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly references: FaceReferenceRepository) {}

  async search(programId: string, descriptor: readonly number[], k = 10): Promise<SearchHit[]> {
    const gallery = await this.refresh(programId);
    return gallery.index.search(descriptor, k);
  }

  /**
   * Runs `fn` alone for the program within this process, so two enrolments of the same face
   * cannot both miss each other between search and insert.
   */
  async exclusive<T>(programId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(programId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(programId, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(programId) === settled) this.locks.delete(programId);
    }
  }

  /** How many references of the program are searchable (for tests and /health-like reporting). */
  async size(programId: string): Promise<number> {
    return (await this.refresh(programId)).index.size;
  }

  private async refresh(programId: string): Promise<ProgramGallery> {
    let gallery = this.programs.get(programId);
    if (!gallery) {
      gallery = { index: new FaceIndex(), seen: new Date(0) };
      this.programs.set(programId, gallery);
    }
    const since = new Date(Math.max(0, gallery.seen.getTime() - CLOCK_MARGIN_MS));
    for (const e of await this.references.changedSince(GALLERY_SCOPE, programId, since)) {
      if (GALLERY_STATUSES.has(e.status)) gallery.index.add({ id: e.id, subjectId: e.traineeId, descriptor: e.descriptor });
      else gallery.index.remove(e.id);
      if (e.updatedAt > gallery.seen) gallery.seen = e.updatedAt;
    }
    return gallery;
  }
}
