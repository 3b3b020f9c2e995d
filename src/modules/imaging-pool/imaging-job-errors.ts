import { UnrecoverableJobError } from '../../core/jobs/job-errors';
import { ImagingError } from '../../imaging';

/**
 * Expected imaging failures (bad input, too many pixels, odd options) cannot be fixed by a retry:
 * they fail the job at once with the imaging code. Anything else (abort, I/O) passes through.
 */
export function toJobError(err: unknown): unknown {
  if (err instanceof ImagingError) return new UnrecoverableJobError(err.code, err.message);
  return err;
}

/** Runs imaging work, turning expected imaging failures into unrecoverable job errors. */
export async function imagingStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toJobError(err);
  }
}
