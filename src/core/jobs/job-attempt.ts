import type { Readable } from 'node:stream';
import { BlobStore } from '../storage/blob-store.port';
import { AbortReason, JobAbortedError } from './job-errors';
import { JobContext } from './job-handler';
import { BlobResult, JobRecord } from './job.model';

/** Every blob of a job lives under this prefix (the reaper and DELETE remove it whole). */
export const jobPrefix = (jobId: string): string => `jobs/${jobId}/`;

/**
 * One run's blobs (`jobs/<id>/<run>/`): a runner only ever deletes its own run's prefix. Runs
 * are numbered by claim and never reused, even when a stall or a release gives an attempt back.
 */
export const runPrefix = (jobId: string, run: number): string => `${jobPrefix(jobId)}${run}/`;

/** One attempt of one job in this process. */
export interface Attempt {
  record: JobRecord;
  token: string;
  /** Why the attempt was aborted, once it was. */
  reason?: AbortReason;
  /** The handler's signal, made on its first read: a quick handler may never read it. */
  controller?: AbortController;
  /** Set once the attempt was concluded: a late handler can no longer store results. */
  closed: boolean;
  /** Runs once when the attempt is aborted (cheaper than a listener on the signal). */
  onAbort?: () => void;
}

export function newAttempt(record: JobRecord): Attempt {
  return { record, token: record.leaseToken!, closed: false };
}

export function abortAttempt(attempt: Attempt, reason: AbortReason): void {
  if (attempt.reason !== undefined) return;
  attempt.reason = reason;
  attempt.controller?.abort(new JobAbortedError(reason));
  attempt.onAbort?.();
}

/** The attempt's abort signal (already aborted when the attempt was before the first read). */
function signalOf(attempt: Attempt): AbortSignal {
  if (!attempt.controller) {
    attempt.controller = new AbortController();
    if (attempt.reason !== undefined) attempt.controller.abort(new JobAbortedError(attempt.reason));
  }
  return attempt.controller.signal;
}

/** What a handler gets; results go under the attempt's own prefix and stop once it is closed. */
export function attemptContext(
  attempt: Attempt,
  blobs: BlobStore,
  report: Pick<JobContext, 'progress' | 'log'>,
): JobContext {
  const { id, type, owner, payload, attempt: number, run } = attempt.record;
  const refuseLate = (): void => {
    if (attempt.closed) throw new JobAbortedError(attempt.reason ?? AbortReason.leaseLost);
  };
  return {
    id,
    type,
    owner,
    payload,
    attempt: number,
    get signal() {
      return signalOf(attempt);
    },
    throwIfAborted: () => {
      if (attempt.reason !== undefined) throw new JobAbortedError(attempt.reason);
    },
    progress: report.progress,
    log: report.log,
    storeResult: async (filename: string, body: Readable | Buffer, contentType: string) => {
      refuseLate();
      const key = `${runPrefix(id, run)}${filename}`;
      const { bytes, sha256 } = await blobs.put(key, body, contentType);
      if (attempt.closed) {
        await blobs.delete(key);
        refuseLate();
      }
      const result: BlobResult = { kind: 'blob', key, filename, contentType, bytes, sha256 };
      return result;
    },
  };
}

/** Waits for the handler; once aborted, waits at most `graceMs` for it to notice. */
export function settleOrGiveUp<T>(work: Promise<T>, attempt: Attempt, graceMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      const grace = setTimeout(() => reject(new JobAbortedError(attempt.reason!)), graceMs);
      grace.unref();
      work.finally(() => clearTimeout(grace)).catch(() => undefined);
    };
    if (attempt.reason !== undefined) onAbort();
    else attempt.onAbort = onAbort;
    work.then(resolve, reject);
  });
}

/**
 * Runs a bookkeeping write until it succeeds, with exponential backoff, for at most `budgetMs`
 * (then the lease expires and another run recovers the job). Never throws.
 */
export async function withRetries<T>(
  write: () => Promise<T>,
  budgetMs: number,
  onError: (err: unknown) => void,
): Promise<{ ok: true; value: T } | { ok: false }> {
  const until = Date.now() + budgetMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return { ok: true, value: await write() };
    } catch (err) {
      onError(err);
      if (Date.now() + delay > until) return { ok: false };
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
