import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EvidenceModule } from '@app/evidence';
import { DEFAULT_MATCH_THRESHOLD } from '@app/face';
import { LedgerModule } from '@app/ledger';
import { AppConfig, AppConfigToken } from '@app/platform';
import { Appeals } from './decisions/appeals';
import { VoidCredit } from './decisions/void-credit';
import { WatchList } from './decisions/watch-list';
import { StoredFactSource } from './facts/stored-facts.adapter';
import { oversightSettingsFrom, OversightSettingsToken } from './oversight-settings';
import { DecisionRepository } from './persistence/decision.repository';
import { OversightItemRepository } from './persistence/item.repository';
import { OVERSIGHT_MODELS } from './persistence/oversight.schemas';
import { OversightQueue } from './queue/queue.service';
import { FactSourceToken, OversightRefreshJob, RefreshSignals } from './queue/refresh-signals';

const useCases = [OversightQueue, VoidCredit, Appeals, WatchList, RefreshSignals];

/** Oversight: signals, the ranked spot-check queue, voids, appeals and the watch list. */
@Module({
  imports: [MongooseModule.forFeature(OVERSIGHT_MODELS), LedgerModule, EvidenceModule],
  providers: [
    OversightItemRepository,
    DecisionRepository,
    OversightRefreshJob,
    ...useCases,
    { provide: FactSourceToken, useClass: StoredFactSource },
    { provide: OversightSettingsToken, inject: [AppConfigToken], useFactory: (c: AppConfig) => oversightSettingsFrom(c.oversight, c.face.threshold ?? DEFAULT_MATCH_THRESHOLD) },
  ],
  exports: [...useCases, OversightSettingsToken],
})
export class OversightModule {}
