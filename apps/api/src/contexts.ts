import { AuditModule } from '@app/audit';
import { CatalogModule } from '@app/catalog';
import { ComplianceModule } from '@app/compliance';
import { FaceModule } from '@app/face';
import { IdentityModule } from '@app/identity';
import { OfflineModule } from '@app/offline';
import { StorageModule } from '@app/storage';

/** The bounded contexts every process loads (API, worker, seed); transports add their controllers on top. */
// MediaModule is not listed: it starts the packaging job runner, which the seed CLI must not do;
// the API (and a future worker) import it through their transport modules.
export const CONTEXT_MODULES = [AuditModule, FaceModule, CatalogModule, IdentityModule, StorageModule, OfflineModule, ComplianceModule];
