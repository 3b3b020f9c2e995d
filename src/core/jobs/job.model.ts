/** Job states; values equal names (STYLE.md rule 2). */
export enum JobState {
  queued = 'queued',
  running = 'running',
  completed = 'completed',
  failed = 'failed',
  cancelled = 'cancelled',
}

export const FINISHED_STATES: readonly JobState[] = [
  JobState.completed,
  JobState.failed,
  JobState.cancelled,
];

/** A stored blob produced by a job, addressed by its key in the BlobStore. */
export interface BlobResult {
  kind: 'blob';
  key: string;
  filename: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

export interface AssetResult {
  kind: 'asset';
  assetId: string;
}

export interface ThumbnailsResult {
  kind: 'thumbnails';
  assetIds: string[];
}

export type JobResult = BlobResult | AssetResult | ThumbnailsResult;

export interface JobError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface JobLogLine {
  at: number;
  text: string;
}

/** What happened to a job, in its history (API.md `history[].event`). */
export type JobHistoryEvent =
  | 'queued'
  | 'claimed'
  | 'progress-lost'
  | 'completed'
  | 'failed'
  | 'retry'
  | 'cancelled'
  | 'released'
  | 'recovered';

/** One line of a job's history: every claim and every end of an attempt, with the process. */
export interface JobHistoryEntry {
  at: number;
  event: JobHistoryEvent;
  attempt: number;
  /** The process that wrote it (`hostname:pid` unless NODE_ID is set). */
  node: string;
  reason?: string;
}

/**
 * The persisted job record: the single source of truth, owned by the JobStore.
 * Times are epoch milliseconds.
 */
export interface JobRecord {
  id: string;
  type: string;
  owner: string;
  state: JobState;
  priority: number;
  payload: unknown;
  progress: number;
  stage: string;
  message: string;
  seq: number;
  attempt: number;
  /** Runs started (claims), never given back: names each run's result blobs. */
  run: number;
  maxAttempts: number;
  /** Lease expiries that were forgiven (did not use up an attempt). */
  stalls: number;
  cancelRequested: boolean;
  runAfter: number;
  leaseToken: string | null;
  leaseExpiresAt: number | null;
  error: JobError | null;
  result: JobResult | null;
  messages: JobLogLine[];
  idempotencyKey: string | null;
  requestHash: string | null;
  /** Made by the system (automatic thumbnails): never counted against a user's queue quota. */
  system: boolean;
  /** The process holding the lease while running, else the last one that did. */
  node: string | null;
  history: JobHistoryEntry[];
  createdAt: number;
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
  expiresAt: number | null;
}

/** Every field of a JobRecord, in one place (store adapters map rows and documents by it). */
export const JOB_RECORD_FIELDS = [
  'id',
  'type',
  'owner',
  'state',
  'priority',
  'payload',
  'progress',
  'stage',
  'message',
  'seq',
  'attempt',
  'run',
  'maxAttempts',
  'stalls',
  'cancelRequested',
  'runAfter',
  'leaseToken',
  'leaseExpiresAt',
  'error',
  'result',
  'messages',
  'idempotencyKey',
  'requestHash',
  'system',
  'node',
  'history',
  'createdAt',
  'startedAt',
  'updatedAt',
  'finishedAt',
  'expiresAt',
] as const satisfies readonly (keyof JobRecord)[];

export const MAX_LOG_LINES = 50;
export const MAX_HISTORY = 100;

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : JSON.stringify(err);
}

/** The fields every log line about a job carries (structured, for the JSON logs). */
export function logFields(
  record: Pick<JobRecord, 'id' | 'owner'>,
  err?: unknown,
): Record<string, unknown> {
  return {
    jobId: record.id,
    userId: record.owner,
    ...(err === undefined ? {} : { err: describeError(err) }),
  };
}

export function isFinished(state: JobState): boolean {
  return FINISHED_STATES.includes(state);
}

/** The allowed edges of the state machine; every store write is checked against it. */
const TRANSITIONS: Record<JobState, readonly JobState[]> = {
  [JobState.queued]: [JobState.running, JobState.cancelled],
  [JobState.running]: [JobState.queued, JobState.completed, JobState.failed, JobState.cancelled],
  [JobState.completed]: [],
  [JobState.failed]: [JobState.queued],
  [JobState.cancelled]: [JobState.queued],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States a job may be in for a transition into `to` to be legal. */
export function sourcesOf(to: JobState): JobState[] {
  return (Object.keys(TRANSITIONS) as JobState[]).filter((from) => canTransition(from, to));
}

/** Appends a log line, keeping only the newest MAX_LOG_LINES. */
export function appendLog(lines: JobLogLine[], text: string, at: number): JobLogLine[] {
  const next =
    lines.length >= MAX_LOG_LINES ? lines.slice(lines.length - MAX_LOG_LINES + 1) : lines.slice();
  next.push({ at, text });
  return next;
}

/** Appends a history entry, keeping only the newest MAX_HISTORY. */
export function appendHistory(
  history: JobHistoryEntry[],
  entry: JobHistoryEntry,
): JobHistoryEntry[] {
  const next = history.length >= MAX_HISTORY ? history.slice(1 - MAX_HISTORY) : history.slice();
  next.push(entry);
  return next;
}

/**
 * The next `seq`: rises with every change, and is at least the clock in microseconds, so a
 * process that recovers a job after a crash continues above any seq the dead one pushed but
 * never stored (API.md: seq only rises).
 */
export function nextSeq(seq: number, now: number): number {
  return Math.max(seq + 1, now * 1000);
}
