import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findRepoRoot, loadConfig } from '@app/platform';
import { buildOpenApi, createApp } from './bootstrap';

/** Where the console's typed client reads the API's contract from. */
export const OPENAPI_FILE = path.join(findRepoRoot(), 'apps/web/src/api/openapi.json');

/** Stable JSON (sorted keys) so the committed document only changes when the API does. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
        : v;
  return JSON.stringify(sort(value), null, 2) + '\n';
}

/** Boots the app on a throwaway embedded database and writes its OpenAPI document. */
async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gsyf-openapi-'));
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, SEED_ON_START: 'never', LOG_LEVEL: 'error', FACE_ENGINE_START: 'lazy' }));
  try {
    await app.init();
    await writeFile(OPENAPI_FILE, stableJson(buildOpenApi(app)));
    console.log(`OpenAPI 文档已写入 ${path.relative(process.cwd(), OPENAPI_FILE)}；运行 npm run api:types 更新前端类型`);
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
