import { BlobStore } from '../storage/blob-store.port';
import { Attempt, abortAttempt, attemptContext, newAttempt, settleOrGiveUp } from './job-attempt';
import { AbortReason, JobAbortedError } from './job-errors';
import { JobContext } from './job-handler';
import { claimPatch, newJobRecord } from './job-transitions';

const by = { node: 'n1', now: 1_000 };

function running(): Attempt {
  const queued = newJobRecord({ type: 't', owner: 'u', payload: {}, maxAttempts: 1 }, by);
  return newAttempt({ ...queued, ...claimPatch(queued, { ...by, leaseMs: 30_000 }) });
}

function contextOf(attempt: Attempt): JobContext {
  const report = { progress: () => undefined, log: () => undefined };
  return attemptContext(attempt, {} as BlobStore, report);
}

describe('job attempt', () => {
  it('should make no signal until the handler reads it', () => {
    const attempt = running();
    const ctx = contextOf(attempt);
    ctx.throwIfAborted();
    expect(attempt.controller).toBeUndefined();
    expect(ctx.signal.aborted).toBe(false);
    expect(attempt.controller).toBeDefined();
  });

  it('should abort a signal read before the abort, with the reason', () => {
    const attempt = running();
    const signal = contextOf(attempt).signal;
    abortAttempt(attempt, AbortReason.cancel);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toEqual(new JobAbortedError(AbortReason.cancel));
  });

  it('should hand a signal first read after the abort already aborted, with the reason', () => {
    const attempt = running();
    const ctx = contextOf(attempt);
    abortAttempt(attempt, AbortReason.timeout);
    expect(ctx.signal.aborted).toBe(true);
    expect((ctx.signal.reason as JobAbortedError).reason).toBe(AbortReason.timeout);
    expect(() => ctx.throwIfAborted()).toThrow(JobAbortedError);
  });

  it('should throw from throwIfAborted after an abort, with no signal ever read', () => {
    const attempt = running();
    const ctx = contextOf(attempt);
    abortAttempt(attempt, AbortReason.cancel);
    expect(() => ctx.throwIfAborted()).toThrow('job aborted: cancel');
    expect(attempt.controller).toBeUndefined();
  });

  it('should keep the first reason and run onAbort once', () => {
    const attempt = running();
    const onAbort = jest.fn();
    attempt.onAbort = onAbort;
    abortAttempt(attempt, AbortReason.leaseLost);
    abortAttempt(attempt, AbortReason.cancel);
    expect(attempt.reason).toBe(AbortReason.leaseLost);
    expect(onAbort).toHaveBeenCalledTimes(1);
  });

  it('should give up on a handler aborted before it was awaited, after the grace', async () => {
    const attempt = running();
    abortAttempt(attempt, AbortReason.shutdown);
    const never = new Promise<never>(() => undefined);
    await expect(settleOrGiveUp(never, attempt, 10)).rejects.toThrow('job aborted: shutdown');
  });
});
