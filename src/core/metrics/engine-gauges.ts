import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Principal } from '../auth/principal';
import { JobsService } from '../jobs/jobs.service';
import { SseService } from '../realtime/sse.service';
import { MetricsRegistry } from './metrics.registry';
import { SocketCensus } from './socket-census';

/** The system-wide view of the stats overview (admins see every owner's jobs). */
const SYSTEM: Principal = { userId: 'metrics', admin: true };

interface Overview {
  counts: Record<string, number>;
  byType: Record<string, Record<string, number>>;
  workers: Record<string, { busy: number; total: number }>;
}

/** Gauges read at scrape time from the engine's own figures (`GET /api/jobs/stats/overview`). */
@Injectable()
export class EngineGauges implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly jobs: JobsService,
    private readonly sockets: SocketCensus,
    private readonly modules: ModuleRef,
  ) {}

  onModuleInit(): void {
    const overview = (): Promise<Overview> =>
      this.jobs.stats(SYSTEM) as unknown as Promise<Overview>;
    this.metrics.gauge(
      'darkroom_queue_depth',
      'Jobs waiting (queued), all nodes',
      [],
      async (g) => {
        g.set((await overview()).counts.queued ?? 0);
      },
    );
    this.metrics.gauge(
      'darkroom_jobs',
      'Jobs in the store by type and state',
      ['type', 'state'],
      async (g) => {
        g.reset();
        for (const [type, counts] of Object.entries((await overview()).byType)) {
          for (const [state, n] of Object.entries(counts)) g.set({ type, state }, n);
        }
      },
    );
    this.metrics.gauge(
      'darkroom_workers_busy',
      'Busy workers of this node, by type',
      ['type'],
      async (g) => {
        for (const [type, w] of Object.entries((await overview()).workers)) g.set({ type }, w.busy);
      },
    );
    this.metrics.gauge(
      'darkroom_workers_total',
      'Workers of this node, by type',
      ['type'],
      async (g) => {
        for (const [type, w] of Object.entries((await overview()).workers))
          g.set({ type }, w.total);
      },
    );
    this.metrics.gauge('darkroom_sockets_connected', 'Socket.IO clients on this node', [], (g) =>
      g.set(this.sockets.connected),
    );
    const sse = this.modules.get(SseService, { strict: false });
    this.metrics.gauge('darkroom_sse_streams_open', 'Open SSE streams on this node', [], (g) =>
      g.set(sse.openStreams),
    );
  }
}
