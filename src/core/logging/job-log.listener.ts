import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { JobEvent, JobEvents } from '../jobs/job-events';
import { JobRecord, JobState, logFields } from '../jobs/job.model';

/**
 * One log line per job transition with the job id and its owner's user id, from the engine's
 * event bus: finished and deleted at info (failed at warn), accepted/started/requeued at debug.
 */
@Injectable()
export class JobLogListener implements OnModuleInit, OnModuleDestroy {
  private stop?: () => void;

  constructor(
    @InjectPinoLogger('Jobs') private readonly logger: PinoLogger,
    private readonly events: JobEvents,
  ) {}

  onModuleInit(): void {
    this.stop = this.events.on((event) => this.log(event));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  private log(event: JobEvent): void {
    const level = levelOf(event);
    // Building a line costs more than the transition's event: only for a level that is on.
    if (!level || !this.logger.logger.isLevelEnabled(level)) return;
    if (event.kind === 'deleted') {
      return this.logger[level](logFields({ id: event.jobId, owner: event.owner }), 'job deleted');
    }
    if (event.kind !== 'progress')
      this.logger[level](fields(event.job), `job ${describe(event.job)}`);
  }
}

function levelOf(event: JobEvent): 'debug' | 'info' | 'warn' | null {
  switch (event.kind) {
    case 'progress':
      return null;
    case 'snapshot':
      return 'debug';
    case 'deleted':
    case 'completed':
    case 'cancelled':
      return 'info';
    case 'failed':
      return 'warn';
  }
}

function fields(job: JobRecord): Record<string, unknown> {
  return {
    ...logFields(job),
    jobType: job.type,
    state: job.state,
    attempt: job.attempt,
    ...(job.error ? { errorCode: job.error.code } : {}),
  };
}

function describe(job: JobRecord): string {
  if (job.state === JobState.running) return job.cancelRequested ? 'cancel requested' : 'started';
  if (job.state === JobState.queued) return job.startedAt === null ? 'queued' : 'requeued';
  return job.state;
}
