import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('should double the delay with each attempt', () => {
    const fixed = () => 1; // upper end of the jitter
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 100, 1e9, fixed))).toEqual([100, 200, 400, 800]);
  });

  it('should keep at least half the exponential delay when jitter is at its minimum', () => {
    expect(backoffDelay(3, 100, 1e9, () => 0)).toBe(200);
  });

  it('should cap the delay at the maximum', () => {
    expect(backoffDelay(30, 1000, 5000, () => 1)).toBe(5000);
  });

  it('should spread delays between half and all of the exponential value', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(2, 1000, 1e9));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
