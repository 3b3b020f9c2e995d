import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { OpsConfig } from '../../config/ops-config';
import { RequestLimit } from './request-limits';
import { SocketLimits } from './socket-limits';
import { SseCapInterceptor } from './sse-cap.interceptor';
import { UserThrottlerGuard } from './user-throttler.guard';
import { WindowThrottlerStorage } from './window-throttler.storage';

const MINUTE_MS = 60_000;

/** Per-user request limits, socket limits and the SSE cap (API.md `429 rate_limited`). */
@Module({})
export class LimitsModule {
  static forRoot(ops: OpsConfig): DynamicModule {
    return {
      module: LimitsModule,
      global: true,
      imports: [
        ThrottlerModule.forRoot({
          setHeaders: false,
          storage: new WindowThrottlerStorage(),
          throttlers: [
            { name: RequestLimit.submissions, ttl: MINUTE_MS, limit: ops.submissionsPerMinute },
            { name: RequestLimit.uploads, ttl: MINUTE_MS, limit: ops.uploadsPerMinute },
          ],
        }),
      ],
      providers: [
        { provide: APP_GUARD, useClass: UserThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: SseCapInterceptor },
        SocketLimits,
      ],
      exports: [SocketLimits],
    };
  }
}
