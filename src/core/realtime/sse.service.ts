import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { Principal } from '../auth/principal';
import { FINISHED_STATES, JobRecord } from '../jobs/job.model';
import { JobViewMapper } from '../jobs/job-view';
import { JobsService } from '../jobs/jobs.service';
import { EventFanout } from './event-fanout';
import { OutboundEvent } from './outbound-event';
import { SseStream } from './sse-stream';
import { StatsFeed } from './stats-feed';

/** The caller of an SSE route; the guard keeps the token's expiry on it. */
export type SsePrincipal = Principal & { expiresAt?: number };

/** `job:progress` → `progress` and so on: SSE event names carry no prefix. */
const sseName = (event: OutboundEvent): string => event.name.slice('job:'.length);

/**
 * Server-sent events for clients without websockets: one job's life (snapshot, progress…, one
 * terminal event, end) or the stats overview. Every open stream is ended at shutdown.
 */
@Injectable()
export class SseService implements OnApplicationShutdown {
  private readonly streams = new Set<SseStream>();

  constructor(
    private readonly jobs: JobsService,
    private readonly views: JobViewMapper,
    private readonly fanout: EventFanout,
    private readonly stats: StatsFeed,
  ) {}

  /** Streams currently open on this node. */
  get openStreams(): number {
    return this.streams.size;
  }

  onApplicationShutdown(): void {
    for (const stream of [...this.streams]) stream.end();
  }

  /** Streams one job; throws NotFoundError (before any byte is sent) for a job the user may not see. */
  async streamJob(user: SsePrincipal, jobId: string, res: Response): Promise<void> {
    await this.jobs.owned(user, jobId);
    const stream = this.open(res, user);
    const held: OutboundEvent[] = [];
    let snapshotSeq: number | undefined = undefined;
    const forward = (event: OutboundEvent): void => {
      if (snapshotSeq === undefined) return void held.push(event);
      if (event.seq <= snapshotSeq && !event.final) return;
      stream.send(sseName(event), event.toJson(user.admin));
      if (event.final) stream.end();
    };
    // Watch before reading the snapshot, so that no change falls between the two.
    stream.onClose(this.fanout.watchJob(jobId, forward));
    const record = await this.snapshotOf(user, jobId);
    if (!record || !stream.isOpen) return stream.end();
    this.sendSnapshot(stream, record, user);
    if (FINISHED_STATES.includes(record.state)) return stream.end();
    snapshotSeq = record.seq;
    held.splice(0).forEach(forward);
  }

  /** Streams the stats overview the user sees, at most twice a second. */
  async streamStats(user: SsePrincipal, res: Response): Promise<void> {
    const first = await this.stats.current(user);
    const stream = this.open(res, user);
    stream.send('stats', JSON.stringify(first));
    stream.onClose(this.stats.watch(user, (stats) => stream.send('stats', JSON.stringify(stats))));
  }

  private open(res: Response, user: SsePrincipal): SseStream {
    const stream = new SseStream(res, user.expiresAt);
    this.streams.add(stream);
    stream.onClose(() => this.streams.delete(stream));
    return stream;
  }

  /** The snapshot, then for a finished job its terminal event with the same view. */
  private sendSnapshot(stream: SseStream, record: JobRecord, user: Principal): void {
    const data = JSON.stringify(this.views.toView(record, user));
    stream.send('snapshot', data);
    if (FINISHED_STATES.includes(record.state)) stream.send(record.state, data);
  }

  /** Null when the job is gone (deleted meanwhile): the headers are out, so no error reply. */
  private async snapshotOf(user: Principal, jobId: string): Promise<JobRecord | null> {
    try {
      return await this.jobs.owned(user, jobId);
    } catch {
      return null;
    }
  }
}
