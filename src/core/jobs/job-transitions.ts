import { randomUUID } from 'node:crypto';
import {
  appendHistory,
  appendLog,
  JobHistoryEntry,
  JobHistoryEvent,
  JobRecord,
  JobState,
  nextSeq,
} from './job.model';
import { AttemptOutcome, ClaimRequest, ProgressSnapshot, Writer } from './job-store.port';

/**
 * The engine's transitions as pure functions of the current row: each returns the fields to
 * write (or null when the transition does not apply). Store adapters run them inside one atomic
 * compare-and-set, so every adapter makes the same decisions.
 */
export type JobPatch = Partial<Omit<JobRecord, 'id' | 'type' | 'owner' | 'createdAt'>>;

/** A submission, after the domain validated it. */
export interface NewJob {
  type: string;
  owner: string;
  payload: unknown;
  maxAttempts: number;
  priority?: number;
  idempotencyKey?: string;
  requestHash?: string;
  /** Made by the system, not by the owner's request: takes no slot of their queue quota. */
  system?: boolean;
}

/** A fresh queued record. */
export function newJobRecord(input: NewJob, by: Writer): JobRecord {
  const { now, node } = by;
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
    seq: nextSeq(0, now),
    attempt: 0,
    run: 0,
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
    system: input.system ?? false,
    node: null,
    history: [{ at: now, event: 'queued', attempt: 0, node }],
    createdAt: now,
    startedAt: null,
    updatedAt: now,
    finishedAt: null,
    expiresAt: null,
  };
}

function entry(
  r: JobRecord,
  event: JobHistoryEvent,
  by: Writer,
  attempt = r.attempt,
  reason?: string,
): JobHistoryEntry {
  const line: JobHistoryEntry = { at: by.now, event, attempt, node: by.node };
  if (reason !== undefined) line.reason = reason;
  return line;
}

/** queued → running under a new lease; the cancel flag is left as it is. */
export function claimPatch(r: JobRecord, req: ClaimRequest, token = randomUUID()): JobPatch {
  const attempt = r.attempt + 1;
  return {
    state: JobState.running,
    leaseToken: token,
    leaseExpiresAt: req.now + req.leaseMs,
    attempt,
    run: r.run + 1,
    startedAt: req.now,
    updatedAt: req.now,
    progress: 0,
    stage: 'starting',
    message: '',
    node: req.node,
    seq: nextSeq(r.seq, req.now),
    messages: appendLog(r.messages, `attempt ${attempt} started`, req.now),
    history: appendHistory(r.history, entry(r, 'claimed', req, attempt)),
  };
}

/** Leaving `running` (or a lease): the lease is dropped and the change is logged. */
function leaving(
  r: JobRecord,
  by: Writer,
  ttlMs: number,
  state: JobState,
  line: JobHistoryEntry,
  note: string,
): JobPatch {
  const finished = state !== JobState.queued;
  return {
    progress: r.progress,
    stage: r.stage,
    message: r.message,
    state,
    leaseToken: null,
    leaseExpiresAt: null,
    updatedAt: by.now,
    seq: nextSeq(r.seq, by.now),
    finishedAt: finished ? by.now : null,
    expiresAt: finished ? by.now + ttlMs : null,
    messages: appendLog(r.messages, note, by.now),
    history: appendHistory(r.history, line),
  };
}

function cancelledPatch(r: JobRecord, by: Writer, ttlMs: number, reason?: string): JobPatch {
  const note = r.state === JobState.queued ? 'cancelled while queued' : 'cancelled';
  return {
    ...leaving(
      r,
      by,
      ttlMs,
      JobState.cancelled,
      entry(r, 'cancelled', by, r.attempt, reason),
      note,
    ),
    stage: 'cancelled',
  };
}

/** The row with a runner's unsaved progress laid over it (seq never goes back). */
export function withProgress(r: JobRecord, last?: ProgressSnapshot): JobRecord {
  if (!last) return r;
  const { progress, stage, message, messages } = last;
  return { ...r, progress, stage, message, messages, seq: Math.max(r.seq, last.seq) };
}

/** The end of an attempt, decided from the row: a pending cancel wins over everything else. */
export function finishPatch(
  r: JobRecord,
  outcome: AttemptOutcome,
  by: Writer,
  ttlMs: number,
): JobPatch {
  if (r.cancelRequested || outcome.kind === 'cancelled') return cancelledPatch(r, by, ttlMs);
  switch (outcome.kind) {
    case 'completed':
      return {
        ...leaving(r, by, ttlMs, JobState.completed, entry(r, 'completed', by), 'completed'),
        result: outcome.result,
        progress: 100,
        stage: 'done',
        message: '',
      };
    case 'failed':
      return failedPatch(r, by, ttlMs, outcome.error);
    case 'retry': {
      if (r.attempt >= r.maxAttempts) return failedPatch(r, by, ttlMs, outcome.error);
      const line = entry(r, 'retry', by, r.attempt, outcome.error.code);
      const note = `retry scheduled after ${outcome.error.code}`;
      const patch = leaving(r, by, ttlMs, JobState.queued, line, note);
      return { ...patch, error: outcome.error, runAfter: outcome.runAfter, stage: 'queued' };
    }
    case 'released': {
      const line = entry(r, 'released', by, r.attempt, 'shutdown');
      const patch = leaving(r, by, ttlMs, JobState.queued, line, 'released for another run');
      return { ...patch, attempt: Math.max(0, r.attempt - 1), runAfter: by.now, stage: 'queued' };
    }
  }
}

function failedPatch(r: JobRecord, by: Writer, ttlMs: number, error: JobRecord['error']): JobPatch {
  const line = entry(r, 'failed', by, r.attempt, error?.code);
  const note = `failed: ${error?.code}: ${error?.message}`;
  return { ...leaving(r, by, ttlMs, JobState.failed, line, note), error };
}

/** An expired lease: requeued without using an attempt (twice at most), then failed `stalled`. */
export function recoverPatch(r: JobRecord, by: Writer, ttlMs: number): JobPatch {
  if (r.cancelRequested) return cancelledPatch(r, by, ttlMs, 'lease expired');
  if (r.stalls >= 2) {
    const error = { code: 'stalled', message: 'the job stalled three times', retryable: false };
    return failedPatch(r, by, ttlMs, error);
  }
  const line = entry(r, 'recovered', by, r.attempt, `lease of ${r.node ?? 'a node'} expired`);
  return {
    ...leaving(r, by, ttlMs, JobState.queued, line, 'lease expired; requeued'),
    attempt: Math.max(0, r.attempt - 1),
    stalls: r.stalls + 1,
    runAfter: by.now,
    stage: 'queued',
  };
}

/** Cancel: queued → cancelled; running → flag set; anything else: nothing to write. */
export function cancelPatch(r: JobRecord, by: Writer, ttlMs: number): JobPatch | null {
  if (r.state === JobState.queued) return cancelledPatch(r, by, ttlMs);
  if (r.state !== JobState.running || r.cancelRequested) return null;
  return { cancelRequested: true, updatedAt: by.now, seq: nextSeq(r.seq, by.now) };
}

/** A manual retry of a failed or cancelled job: queued again with at least one more attempt. */
export function retryPatch(r: JobRecord, by: Writer): JobPatch | null {
  if (r.state !== JobState.failed && r.state !== JobState.cancelled) return null;
  return {
    state: JobState.queued,
    maxAttempts: Math.max(r.maxAttempts, r.attempt + 1),
    error: null,
    result: null,
    cancelRequested: false,
    runAfter: by.now,
    progress: 0,
    stage: 'queued',
    message: '',
    updatedAt: by.now,
    seq: nextSeq(r.seq, by.now),
    finishedAt: null,
    expiresAt: null,
    stalls: 0,
    messages: appendLog(r.messages, 'retry requested', by.now),
    history: appendHistory(r.history, entry(r, 'queued', by, r.attempt, 'retry requested')),
  };
}
