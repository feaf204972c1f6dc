import { Injectable } from '@nestjs/common';
import { WatchList } from '@app/oversight';
import type { StudyWatch } from '@app/study';

/** Study's watch port over oversight's watch list: an auditor's 重点关注 makes face checks more frequent. */
@Injectable()
export class OversightStudyWatch implements StudyWatch {
  constructor(private readonly watchList: WatchList) {}

  factorFor(subject: { readonly traineeId: string; readonly institutionId: string }): Promise<number> {
    return this.watchList.watchFactor(subject.traineeId, subject.institutionId);
  }
}
