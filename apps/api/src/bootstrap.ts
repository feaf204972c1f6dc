import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig, jsonBodyMiddleware } from '@app/platform';
import { AppModule } from './app.module';
import { PlatformSocketAdapter } from './realtime/socket-adapter';

export const API_PREFIX = 'api/v1';

export function buildOpenApi(app: NestExpressApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('工伤预防能力提升培训平台 API')
    .setDescription('Work-injury prevention capacity-building training platform. 所有错误均为 { code, message, details? }。')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Builds the API with every cross-cutting concern applied; the caller decides when to listen. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    // JSON is parsed by the platform's middleware so its failures share the one error shape.
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // hls.js plays from blob: URLs; the webcam preview and captures are blob:/data: images.
          'default-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'worker-src': ["'self'", 'blob:'],
          'style-src': ["'self'", "'unsafe-inline'"],
        },
      },
    }),
  );
  app.use(jsonBodyMiddleware(config));
  // Twice the capture limit: room for an oversized capture to arrive and be refused with a clear error.
  app.useWebSocketAdapter(new PlatformSocketAdapter(app, config.study.maxCaptureBytes * 2 + 64 * 1024));
  if (config.corsOrigins.length > 0) app.enableCors({ origin: [...config.corsOrigins], credentials: true });
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
