import { readFileSync } from 'node:fs';
import { buildOpenApi } from '../../apps/api/src/bootstrap';
import { OPENAPI_FILE, stableJson } from '../../apps/api/src/openapi';
import { startTestApp, TestApp } from '../support/app';

/**
 * The console's typed client is generated from apps/web/src/api/openapi.json. If the API
 * changes and the file is not regenerated, the console would compile against a stale contract.
 */
describe('console API contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('openapi', { SEED_ON_START: 'never' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('matches the OpenAPI document the console was generated from (run: npm run openapi && npm run api:types)', () => {
    const live = stableJson(buildOpenApi(t.app));
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(committed).toBe(live);
  });
});
