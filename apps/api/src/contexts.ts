import { CatalogModule } from '@app/catalog';
import { IdentityModule } from '@app/identity';

/** The bounded contexts every process loads (API, worker, seed); transports add their controllers on top. */
export const CONTEXT_MODULES = [CatalogModule, IdentityModule];
