import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { banner, loadConfigOrExit, PlatformModule, SeedService } from '@app/platform';
import { CONTEXT_MODULES } from './contexts';

/** `npm run seed`: runs every context's seeder once (idempotent), then exits. Stop the platform first on the embedded database. */
async function main(): Promise<void> {
  const config = loadConfigOrExit({ AUDIT_WRITER: 'seed', ...process.env, SEED_ON_START: 'never', FACE_ENGINE_START: 'lazy' });
  @Module({ imports: [PlatformModule.forRoot(config), ...CONTEXT_MODULES] })
  class SeedModule {}
  const ctx = await NestFactory.createApplicationContext(SeedModule, { bufferLogs: false });
  try {
    const results = await ctx.get(SeedService).runAll();
    const notices = results.flatMap((r) => r.notices ?? []);
    console.log(banner(['演示数据已写入 (demo data seeded)', ...results.map((r) => r.summary), ...notices]));
  } finally {
    await ctx.close();
  }
}

main().catch((e) => {
  console.error('写入演示数据失败 (seeding failed):', e);
  process.exit(1);
});
