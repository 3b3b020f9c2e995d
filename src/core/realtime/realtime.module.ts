import { Module } from '@nestjs/common';
import { EventFanout } from './event-fanout';
import { inMemorySocketAdapter, SOCKET_ADAPTER_PROVIDER } from './realtime-io.adapter';
import { JobsGateway } from './jobs.gateway';
import { SseController } from './sse.controller';
import { SseService } from './sse.service';
import { StatsFeed } from './stats-feed';

/**
 * Live progress: the `/jobs` Socket.IO gateway and SSE, fed by the engine's event bus.
 * `SOCKET_ADAPTER_PROVIDER` defaults to the in-memory adapter; a deployment module may override it.
 */
@Module({
  controllers: [SseController],
  providers: [
    EventFanout,
    StatsFeed,
    JobsGateway,
    SseService,
    { provide: SOCKET_ADAPTER_PROVIDER, useValue: inMemorySocketAdapter },
  ],
  exports: [EventFanout, StatsFeed, SOCKET_ADAPTER_PROVIDER],
})
export class RealtimeModule {}
