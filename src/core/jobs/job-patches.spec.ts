import { JobState } from './job.model';
import { finishPatch, newJobRecord, retryPatch, stalledPatch } from './job-patches';

const base = () => newJobRecord({ type: 't', owner: 'o', payload: {}, maxAttempts: 3 }, 1000);

describe('job-patches', () => {
  describe('newJobRecord', () => {
    it('should start queued at attempt 0 with seq 1', () => {
      expect(base()).toMatchObject({
        state: JobState.queued,
        attempt: 0,
        seq: 1,
        runAfter: 1000,
        priority: 0,
      });
    });
  });

  describe('finishPatch', () => {
    it('should set expiry for terminal states and drop the lease', () => {
      const patch = finishPatch(
        { ...base(), leaseToken: 'x' },
        JobState.completed,
        {},
        'completed',
        500,
        2000,
      );
      expect(patch).toMatchObject({
        state: JobState.completed,
        leaseToken: null,
        finishedAt: 2000,
        expiresAt: 2500,
      });
      expect(patch.messages?.at(-1)).toEqual({ at: 2000, text: 'completed' });
    });

    it('should not set expiry when going back to queued', () => {
      const patch = finishPatch(base(), JobState.queued, {}, 'retry', 500, 2000);
      expect(patch).toMatchObject({ finishedAt: null, expiresAt: null });
    });
  });

  describe('stalledPatch', () => {
    it('should give the attempt back for the first two stalls', () => {
      const patch = stalledPatch(
        { ...base(), state: JobState.running, attempt: 2, stalls: 1 },
        500,
        2000,
      );
      expect(patch).toMatchObject({ state: JobState.queued, attempt: 1, stalls: 2 });
    });

    it('should fail the job stalled on the third stall', () => {
      const patch = stalledPatch(
        { ...base(), state: JobState.running, attempt: 1, stalls: 2 },
        500,
        2000,
      );
      expect(patch).toMatchObject({
        state: JobState.failed,
        error: { code: 'stalled', retryable: false },
      });
    });
  });

  describe('retryPatch', () => {
    it('should grant at least one more attempt and clear the error', () => {
      const patch = retryPatch(
        { ...base(), state: JobState.failed, attempt: 3, maxAttempts: 3 },
        2000,
      );
      expect(patch).toMatchObject({
        state: JobState.queued,
        maxAttempts: 4,
        error: null,
        stalls: 0,
      });
    });
  });
});
