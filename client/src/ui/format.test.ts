import { describe, expect, it } from 'vitest';
import { estimateRemainingMs, formatBytes, formatDuration, formatLatency } from './format';

describe('formatBytes', () => {
  it('should pick a unit', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MB');
  });
});

describe('formatDuration', () => {
  it('should show seconds, minutes and hours', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(3_660_000)).toBe('1h 01m');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('estimateRemainingMs', () => {
  const start = '2026-01-01T00:00:00.000Z';
  const t0 = Date.parse(start);
  it('should extrapolate linearly from this run', () => {
    expect(estimateRemainingMs(25, start, t0 + 10_000)).toBe(30_000);
  });
  it('should give no estimate too early or when done', () => {
    expect(estimateRemainingMs(1, start, t0 + 10_000)).toBeUndefined();
    expect(estimateRemainingMs(50, start, t0 + 500)).toBeUndefined();
    expect(estimateRemainingMs(100, start, t0 + 10_000)).toBeUndefined();
    expect(estimateRemainingMs(50, undefined, t0)).toBeUndefined();
  });
});

describe('formatLatency', () => {
  it('should keep milliseconds under a second', () => {
    expect(formatLatency(42.4)).toBe('42 ms');
    expect(formatLatency(1500)).toBe('2s');
  });
});
