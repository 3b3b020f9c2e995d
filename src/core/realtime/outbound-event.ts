import { JobDeletedEvent, JobProgressEvent } from '../jobs/job-events';
import { JobView } from '../jobs/job-view';

/** Socket.IO event names of the contract (API.md, "Live progress — Socket.IO"). */
export type JobEventName =
  | 'job:snapshot'
  | 'job:progress'
  | 'job:completed'
  | 'job:failed'
  | 'job:cancelled'
  | 'job:deleted';

/** The `job:progress` payload. */
export interface ProgressPayload {
  jobId: string;
  state: string;
  progress: number;
  stage: string;
  message: string;
  seq: number;
  /** ISO time of the handler's progress report. */
  updatedAt: string;
}

/** The `job:deleted` payload. */
export interface DeletedPayload {
  jobId: string;
  seq: number;
}

export type OutboundPayload = JobView | ProgressPayload | DeletedPayload;

/** What a record event is addressed by. */
export interface JobKey {
  id: string;
  owner: string;
  seq: number;
}

/**
 * One job event as it leaves the node: built once, synchronously, from the engine's event (whose
 * record may change later), then shared by every socket and stream. Admins see a variant with
 * the `owner` field; each variant is serialised at most once.
 */
export class OutboundEvent {
  private readonly json: [string?, string?] = [];
  private built?: [OutboundPayload, OutboundPayload];

  private constructor(
    readonly name: JobEventName,
    readonly jobId: string,
    readonly owner: string,
    readonly seq: number,
    private readonly build: () => [OutboundPayload, OutboundPayload],
  ) {}

  /** Payloads are built on first use: an event no socket or stream takes costs nothing more. */
  private get payloads(): [OutboundPayload, OutboundPayload] {
    return (this.built ??= this.build());
  }

  /** completed / failed / cancelled / deleted: nothing follows for this job. */
  get final(): boolean {
    return this.name !== 'job:snapshot' && this.name !== 'job:progress';
  }

  /** True when admins and owners get the same payload (one emit serves both). */
  get uniform(): boolean {
    return this.payloads[0] === this.payloads[1];
  }

  payload(admin: boolean): OutboundPayload {
    return this.payloads[admin ? 1 : 0];
  }

  /** The payload as JSON, serialised on first use per variant. */
  toJson(admin: boolean): string {
    const index = admin ? 1 : 0;
    return (this.json[index] ??= JSON.stringify(this.payloads[index]));
  }

  static progress(e: JobProgressEvent): OutboundEvent {
    const payload: ProgressPayload = {
      jobId: e.jobId,
      state: e.state,
      progress: Math.round(e.progress * 100) / 100,
      stage: e.stage,
      message: e.message,
      seq: e.seq,
      updatedAt: new Date(e.updatedAt).toISOString(),
    };
    return new OutboundEvent('job:progress', e.jobId, e.owner, e.seq, () => [payload, payload]);
  }

  /**
   * `view` makes the owner's snapshot (no admin fields) when a listener first asks; it must read
   * a copy of the record taken now, not the live record.
   */
  static record(name: JobEventName, job: JobKey, view: () => JobView): OutboundEvent {
    return new OutboundEvent(name, job.id, job.owner, job.seq, () => {
      const owners = view();
      return [owners, { ...owners, owner: job.owner }];
    });
  }

  static deleted(e: JobDeletedEvent): OutboundEvent {
    const payload: DeletedPayload = { jobId: e.jobId, seq: e.seq };
    return new OutboundEvent('job:deleted', e.jobId, e.owner, e.seq, () => [payload, payload]);
  }
}
