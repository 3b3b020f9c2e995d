import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { JobEvent, JobEvents } from '../jobs/job-events';
import { JobRecord, JobState } from '../jobs/job.model';

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
    switch (event.kind) {
      case 'progress':
        return;
      case 'deleted':
        return this.logger.info({ jobId: event.jobId, userId: event.owner }, 'job deleted');
      case 'snapshot':
        return this.logger.debug(fields(event.job), `job ${describe(event.job)}`);
      case 'completed':
      case 'cancelled':
        return this.logger.info(fields(event.job), `job ${describe(event.job)}`);
      case 'failed':
        return this.logger.warn(fields(event.job), `job ${describe(event.job)}`);
    }
  }
}

function fields(job: JobRecord): Record<string, unknown> {
  return {
    jobId: job.id,
    userId: job.owner,
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
