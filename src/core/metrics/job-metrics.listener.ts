import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { JobEvent, JobEvents } from '../jobs/job-events';
import { JobRecord, JobState } from '../jobs/job.model';
import { EventFanout } from '../realtime/event-fanout';
import { MetricsRegistry } from './metrics.registry';
import { queuedReason, QueuedReason } from './job-transition';

const seconds = (ms: number): number => Math.max(0, ms) / 1000;

/**
 * Job figures from outside the engine: listens to the engine's event bus (created, claimed,
 * requeued, finished) and to the realtime fan-out (what is pushed). Progress the engine emitted
 * but the fan-out never pushed was coalesced away.
 */
@Injectable()
export class JobMetricsListener implements OnModuleInit, OnModuleDestroy {
  private readonly stops: (() => void)[] = [];
  private progressEmitted = 0;
  private progressPushed = 0;
  private coalescedReported = 0;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly events: JobEvents,
    private readonly fanout: EventFanout,
  ) {}

  onModuleInit(): void {
    this.stops.push(this.events.on((event) => this.onJobEvent(event)));
    this.stops.push(
      this.fanout.subscribe((event) => {
        this.metrics.eventsPushed.inc({ event: event.name });
        if (event.name === 'job:progress') this.progressPushed += 1;
      }),
    );
    this.metrics.onScrape(() => this.reportCoalesced());
  }

  /** Emitted minus pushed; progress still held at scrape time counts once it is dropped. */
  private reportCoalesced(): void {
    const coalesced = this.progressEmitted - this.progressPushed;
    if (coalesced > this.coalescedReported) {
      this.metrics.eventsCoalesced.inc(coalesced - this.coalescedReported);
      this.coalescedReported = coalesced;
    }
  }

  onModuleDestroy(): void {
    this.stops.splice(0).forEach((stop) => stop());
  }

  private onJobEvent(event: JobEvent): void {
    switch (event.kind) {
      case 'progress':
        this.metrics.progressIn.inc();
        this.progressEmitted += 1;
        return;
      case 'deleted':
        return;
      case 'snapshot':
        return this.onSnapshot(event.job);
      case 'completed':
      case 'failed':
      case 'cancelled':
        return this.onFinished(event.job, event.kind);
    }
  }

  private onSnapshot(job: JobRecord): void {
    const type = job.type;
    if (job.state === JobState.running && job.startedAt !== null && !job.cancelRequested) {
      const eligibleAt = Math.max(job.createdAt, job.runAfter);
      this.metrics.queueWait.observe({ type }, seconds(job.startedAt - eligibleAt));
      return;
    }
    if (job.state !== JobState.queued) return;
    switch (queuedReason(job)) {
      case QueuedReason.created:
        return this.metrics.jobsCreated.inc({ type });
      case QueuedReason.retry:
        return this.metrics.jobRetries.inc({ type });
      case QueuedReason.recovered:
        return this.metrics.leaseRecoveries.inc({ type });
      case QueuedReason.released:
      case QueuedReason.other:
        return;
    }
  }

  private onFinished(job: JobRecord, outcome: string): void {
    this.metrics.jobsFinished.inc({ type: job.type, outcome });
    if (job.startedAt !== null && job.finishedAt !== null && outcome !== 'cancelled') {
      const ms = job.finishedAt - job.startedAt;
      this.metrics.jobDuration.observe({ type: job.type, outcome }, seconds(ms));
    }
  }
}
