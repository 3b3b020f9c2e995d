import {
  appendLog,
  canTransition,
  isFinished,
  JobState,
  MAX_LOG_LINES,
  sourcesOf,
} from './job.model';

describe('job.model', () => {
  describe('canTransition', () => {
    it('should allow the lifecycle queued → running → completed', () => {
      expect(canTransition(JobState.queued, JobState.running)).toBe(true);
      expect(canTransition(JobState.running, JobState.completed)).toBe(true);
    });

    it('should never relabel a completed job', () => {
      for (const to of Object.values(JobState))
        expect(canTransition(JobState.completed, to)).toBe(false);
    });

    it('should let failed and cancelled jobs be retried but not run directly', () => {
      expect(canTransition(JobState.failed, JobState.queued)).toBe(true);
      expect(canTransition(JobState.cancelled, JobState.queued)).toBe(true);
      expect(canTransition(JobState.failed, JobState.running)).toBe(false);
      expect(canTransition(JobState.cancelled, JobState.completed)).toBe(false);
    });

    it('should not let a queued job complete without running', () => {
      expect(canTransition(JobState.queued, JobState.completed)).toBe(false);
      expect(canTransition(JobState.queued, JobState.failed)).toBe(false);
    });
  });

  describe('sourcesOf', () => {
    it('should list the states that may become running', () => {
      expect(sourcesOf(JobState.running)).toEqual([JobState.queued]);
    });
  });

  describe('isFinished', () => {
    it('should treat only terminal states as finished', () => {
      expect([JobState.queued, JobState.running].map(isFinished)).toEqual([false, false]);
      expect([JobState.completed, JobState.failed, JobState.cancelled].map(isFinished)).toEqual([
        true,
        true,
        true,
      ]);
    });
  });

  describe('appendLog', () => {
    it('should keep only the newest lines when full', () => {
      let lines = appendLog([], 'line 0', 0);
      for (let i = 1; i < 60; i++) lines = appendLog(lines, `line ${i}`, i);
      expect(lines).toHaveLength(MAX_LOG_LINES);
      expect(lines[0].text).toBe('line 10');
      expect(lines[MAX_LOG_LINES - 1].text).toBe('line 59');
    });
  });
});
