/** Thrown by a handler for a failure that retrying cannot fix: the job fails at once. */
export class UnrecoverableJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnrecoverableJobError';
  }
}

/** Thrown by a handler for a failure worth retrying, with a stable code for the client. */
export class RetryableJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RetryableJobError';
  }
}

/** Why a running job's AbortSignal fired. */
export enum AbortReason {
  cancel = 'cancel',
  timeout = 'timeout',
  shutdown = 'shutdown',
  leaseLost = 'leaseLost',
}

export class JobAbortedError extends Error {
  constructor(readonly reason: AbortReason) {
    super(`job aborted: ${reason}`);
    this.name = 'JobAbortedError';
  }
}
