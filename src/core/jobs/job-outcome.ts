import {
  AbortReason,
  JobAbortedError,
  RetryableJobError,
  UnrecoverableJobError,
} from './job-errors';
import { JobError } from './job.model';

/** How an attempt ended, decided from the handler's settlement and the abort reason. */
export type Outcome =
  | { kind: 'completed' }
  | { kind: 'cancelled' }
  | { kind: 'released' }
  | { kind: 'lost' }
  | { kind: 'error'; error: JobError };

/** Maps an abort reason or a thrown error to the attempt's outcome (pure). */
export function decideOutcome(
  abortReason: AbortReason | undefined,
  thrown: unknown,
  threw: boolean,
): Outcome {
  switch (abortReason) {
    case AbortReason.cancel:
      return { kind: 'cancelled' };
    case AbortReason.shutdown:
      return { kind: 'released' };
    case AbortReason.leaseLost:
      return { kind: 'lost' };
    case AbortReason.timeout:
      return {
        kind: 'error',
        error: { code: 'timeout', message: 'the job ran past its time limit', retryable: true },
      };
    case undefined:
      return threw ? { kind: 'error', error: toJobError(thrown) } : { kind: 'completed' };
  }
}

export function toJobError(err: unknown): JobError {
  if (err instanceof UnrecoverableJobError)
    return { code: err.code, message: err.message, retryable: false };
  if (err instanceof RetryableJobError)
    return { code: err.code, message: err.message, retryable: true };
  if (err instanceof JobAbortedError)
    return { code: 'aborted', message: err.message, retryable: true };
  // Unknown errors are retried; their text may be internal, so clients get a generic message.
  return { code: 'internal', message: 'the job failed unexpectedly', retryable: true };
}
