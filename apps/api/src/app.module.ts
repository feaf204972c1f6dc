import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig, JobsModule, PlatformModule } from '@app/platform';
import { AuditHttpModule } from './audit/audit-http.module';
import { CatalogHttpModule } from './catalog/catalog-http.module';
import { ComplianceHttpModule } from './compliance/compliance-http.module';
import { ExamsHttpModule } from './exams/exams-http.module';
import { CONTEXT_MODULES } from './contexts';
import { IdentityHttpModule } from './identity/identity-http.module';
import { MediaHttpModule } from './media/media-http.module';
import { OfflineHttpModule } from './offline/offline-http.module';
import { OversightHttpModule } from './oversight/oversight-http.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RecordingsHttpModule } from './recordings/recordings-http.module';
import { StudyHttpModule } from './study/study-http.module';

/** The console is optional at run time: an API built without it still serves /api and /health. */
function consoleModules(config: AppConfig): DynamicModule[] {
  if (!fs.existsSync(path.join(config.webDistDir, 'index.html'))) {
    new Logger('Console').warn(`未找到前端构建产物 (console not built): ${config.webDistDir} — 运行 npm run build:web`);
    return [];
  }
  return [
    ServeStaticModule.forRoot({
      rootPath: config.webDistDir,
      // Everything else falls back to index.html so deep links into the SPA work.
      exclude: ['/api/{*path}', '/health', '/socket.io/{*path}'],
      serveStaticOptions: { index: false, maxAge: '1h', fallthrough: true },
    }),
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config), JobsModule, ...CONTEXT_MODULES, AuditHttpModule, CatalogHttpModule, IdentityHttpModule, MediaHttpModule, StudyHttpModule, OfflineHttpModule, OversightHttpModule, RealtimeModule, ComplianceHttpModule, ExamsHttpModule, RecordingsHttpModule, ...consoleModules(config)],
    };
  }
}
