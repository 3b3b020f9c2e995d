import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { RealtimeModule } from '../realtime/realtime.module';
import { EngineGauges } from './engine-gauges';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { JobMetricsListener } from './job-metrics.listener';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';
import { SocketCensus } from './socket-census';

/** `GET /metrics`: process, HTTP, job and realtime figures (global: limits count refusals). */
@Global()
@Module({
  imports: [RealtimeModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, JobMetricsListener, EngineGauges, SocketCensus],
  exports: [MetricsRegistry, SocketCensus],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
