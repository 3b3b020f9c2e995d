import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AuthModule } from './core/auth/auth.module';
import { HttpErrorFilter } from './core/errors/http-error.filter';
import { HealthModule } from './core/health/health.module';
import { LoggingModule } from './core/logging/logging.module';
import { JobsModule } from './core/jobs/jobs.module';
import { LimitsModule } from './core/limits/limits.module';
import { MetricsModule } from './core/metrics/metrics.module';
import { RealtimeModule } from './core/realtime/realtime.module';
import { InfraModule } from './infra/infra.module';
import { MongoStoreModule } from './infra/store/mongo/mongo-store.module';
import { AssetsModule } from './modules/assets/assets.module';
import { CompositeModule } from './modules/composite/composite.module';
import { DiagnosticsModule } from './modules/diagnostics/diagnostics.module';
import { ImagingPoolModule } from './modules/imaging-pool/imaging-pool.module';
import { MosaicModule } from './modules/mosaic/mosaic.module';
import { ThumbnailModule } from './modules/thumbnail/thumbnail.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const imaging = [
      ImagingPoolModule,
      AssetsModule,
      ThumbnailModule,
      CompositeModule,
      MosaicModule,
    ];
    const domains = [...imaging, ...(config.diagnostics ? [DiagnosticsModule] : [])];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config.ops),
        MongoStoreModule.forRoot(config),
        InfraModule,
        AuthModule,
        HealthModule,
        JobsModule,
        RealtimeModule,
        MetricsModule,
        LimitsModule.forRoot(config.ops),
        ...domains,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
