import 'reflect-metadata';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { SocketLimits } from './core/limits/socket-limits';
import { applySecurity } from './core/limits/security';
import { withNestLogLevels } from './core/logging/logging.module';
import { setupOpenApi } from './core/openapi/openapi';
import { createRealtimeAdapter } from './core/realtime/realtime-io.adapter';
import { verifyJsonDepth } from './core/http/json-depth';
import { createValidationPipe } from './core/validation.pipe';
import { spaStatic } from './core/web/spa-static';

/** Builds the app (also used by tests and benchmarks); the caller listens. */
export async function createApp(
  config: AppConfig,
  logLevels?: LogLevel[],
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(withNestLogLevels(config, logLevels)),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  applySecurity(app, config.ops);
  app.useBodyParser('json', { limit: '1mb', verify: verifyJsonDepth });
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(app.get(SocketLimits).wrap(await createRealtimeAdapter(app)));
  app.enableShutdownHooks();
  // Keep idle connections longer than clients and load balancers do (undici 4 s, ALB 60 s), so
  // the server never closes a socket a client is about to reuse (ECONNRESET under load).
  const server: import('node:http').Server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  app.disable('x-powered-by');
  app.set('etag', false);
  // The browser app at `/` (API under /api, sockets under /socket.io): see client/.
  app.use(spaStatic());
  await setupOpenApi(app);
  return app;
}
