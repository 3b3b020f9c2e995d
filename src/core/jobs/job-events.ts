import { Injectable } from '@nestjs/common';
import { JobRecord, JobState } from './job.model';

/** A progress change of a running job: small and frequent. */
export interface JobProgressEvent {
  kind: 'progress';
  jobId: string;
  owner: string;
  state: JobState;
  progress: number;
  stage: string;
  message: string;
  seq: number;
  updatedAt: number;
}

/** snapshot: created, started or requeued (also cancel requested); the rest are terminal. */
export interface JobRecordEvent {
  kind: 'snapshot' | 'completed' | 'failed' | 'cancelled';
  job: JobRecord;
}

export interface JobDeletedEvent {
  kind: 'deleted';
  jobId: string;
  owner: string;
  seq: number;
}

export type JobEvent = JobProgressEvent | JobRecordEvent | JobDeletedEvent;
export type JobEventListener = (event: JobEvent) => void;

/**
 * In-process event bus of the engine. Listeners run synchronously in emit order, so a
 * listener sees every job's events in `seq` order; a throwing listener cannot break the engine.
 */
@Injectable()
export class JobEvents {
  private listeners: JobEventListener[] = [];

  on(listener: JobEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not fail the job transition that already happened.
      }
    }
  }
}

/** The event that announces a record after a state change. */
export function recordEventKind(state: JobState): JobRecordEvent['kind'] {
  switch (state) {
    case JobState.completed:
      return 'completed';
    case JobState.failed:
      return 'failed';
    case JobState.cancelled:
      return 'cancelled';
    case JobState.queued:
    case JobState.running:
      return 'snapshot';
  }
}
