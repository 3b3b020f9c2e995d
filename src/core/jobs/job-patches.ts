import { randomUUID } from 'node:crypto';
import { appendLog, JobRecord, JobState } from './job.model';
import { JobPatch } from './job-store.port';

/** A submission, after the domain validated it. */
export interface NewJob {
  type: string;
  owner: string;
  payload: unknown;
  maxAttempts: number;
  priority?: number;
  idempotencyKey?: string;
  requestHash?: string;
}

/** A fresh queued record. */
export function newJobRecord(input: NewJob, now: number): JobRecord {
  return {
    id: randomUUID(),
    type: input.type,
    owner: input.owner,
    state: JobState.queued,
    priority: input.priority ?? 0,
    payload: input.payload,
    progress: 0,
    stage: 'queued',
    message: '',
    seq: 1,
    attempt: 0,
    maxAttempts: input.maxAttempts,
    stalls: 0,
    cancelRequested: false,
    runAfter: now,
    leaseToken: null,
    leaseExpiresAt: null,
    error: null,
    result: null,
    messages: [],
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: input.requestHash ?? null,
    createdAt: now,
    startedAt: null,
    updatedAt: now,
    finishedAt: null,
    expiresAt: null,
  };
}

/** Leaving `running`: to a terminal state (with expiry) or back to `queued`; the lease is dropped. */
export function finishPatch(
  r: JobRecord,
  state: JobState,
  patch: JobPatch,
  note: string,
  ttlMs: number,
  now: number,
): JobPatch {
  const finished = state !== JobState.queued;
  return {
    progress: r.progress,
    stage: r.stage,
    message: r.message,
    ...patch,
    state,
    leaseToken: null,
    leaseExpiresAt: null,
    updatedAt: now,
    messages: appendLog(r.messages, note, now),
    finishedAt: finished ? now : null,
    expiresAt: finished ? now + ttlMs : null,
  };
}

/** An expired lease: requeued without using an attempt (twice at most), then failed `stalled`. */
export function stalledPatch(stale: JobRecord, ttlMs: number, now: number): JobPatch {
  const base = { leaseToken: null, leaseExpiresAt: null, updatedAt: now };
  if (stale.stalls >= 2) {
    return {
      ...base,
      state: JobState.failed,
      finishedAt: now,
      expiresAt: now + ttlMs,
      error: { code: 'stalled', message: 'the job stalled three times', retryable: false },
      messages: appendLog(stale.messages, 'failed: stalled', now),
    };
  }
  return {
    ...base,
    state: JobState.queued,
    attempt: Math.max(0, stale.attempt - 1),
    stalls: stale.stalls + 1,
    runAfter: now,
    stage: 'queued',
    messages: appendLog(stale.messages, 'lease expired; requeued', now),
  };
}

/** A manual retry of a failed or cancelled job: queued again with at least one more attempt. */
export function retryPatch(current: JobRecord, now: number): JobPatch {
  return {
    state: JobState.queued,
    maxAttempts: Math.max(current.maxAttempts, current.attempt + 1),
    error: null,
    result: null,
    cancelRequested: false,
    runAfter: now,
    progress: 0,
    stage: 'queued',
    message: '',
    updatedAt: now,
    finishedAt: null,
    expiresAt: null,
    stalls: 0,
    messages: appendLog(current.messages, 'retry requested', now),
  };
}
