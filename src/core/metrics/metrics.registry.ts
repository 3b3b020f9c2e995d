import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The app's Prometheus metrics, in a registry of its own (not prom-client's global one), so that
 * several apps in one process (tests) never clash. Gauges are filled at scrape time.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly jobsCreated = new Counter({
    name: 'darkroom_jobs_created_total',
    help: 'Jobs accepted, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly jobsFinished = new Counter({
    name: 'darkroom_jobs_finished_total',
    help: 'Jobs that reached a terminal state, by type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });
  readonly jobRetries = new Counter({
    name: 'darkroom_job_retries_total',
    help: 'Jobs queued again for another attempt (automatic or requested), by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly leaseRecoveries = new Counter({
    name: 'darkroom_job_lease_recoveries_total',
    help: 'Expired leases (crashed or stalled runs) requeued, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'darkroom_job_duration_seconds',
    help: 'Run time of the last attempt of finished jobs, by type and outcome',
    labelNames: ['type', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'darkroom_job_queue_wait_seconds',
    help: 'Time from eligible (created or due again) to claimed, by type',
    labelNames: ['type'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'darkroom_http_request_duration_seconds',
    help: 'HTTP request duration, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  readonly eventsPushed = new Counter({
    name: 'darkroom_events_pushed_total',
    help: 'Job events handed to sockets and SSE streams, by event',
    labelNames: ['event'],
    registers: [this.registry],
  });
  readonly progressIn = new Counter({
    name: 'darkroom_progress_events_total',
    help: 'Progress events the engine emitted (before coalescing)',
    registers: [this.registry],
  });
  readonly eventsCoalesced = new Counter({
    name: 'darkroom_events_coalesced_total',
    help: 'Progress events the engine emitted that were not pushed (coalesced, latest wins)',
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'darkroom_rate_limited_total',
    help: 'Requests and socket actions refused by a rate limit, by limit',
    labelNames: ['limit'],
    registers: [this.registry],
  });

  private readonly scrapeHooks: (() => void)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Runs `hook` before every scrape (for figures derived from other counters). */
  onScrape(hook: () => void): void {
    this.scrapeHooks.push(hook);
  }

  /** The exposition text, after the scrape hooks ran. */
  async scrape(): Promise<string> {
    this.scrapeHooks.forEach((hook) => hook());
    return this.registry.metrics();
  }

  /** A gauge whose value is read when Prometheus scrapes. */
  gauge(name: string, help: string, labelNames: string[], collect: (g: Gauge) => unknown): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }
}
