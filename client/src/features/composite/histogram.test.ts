import { describe, expect, it } from 'vitest';
import { percentilePosition } from './histogram';

describe('percentilePosition', () => {
  it('should find where a fraction of the pixels lies', () => {
    expect(percentilePosition([50, 0, 0, 50], 0.25)).toBeCloseTo(0.125);
    expect(percentilePosition([50, 0, 0, 50], 1)).toBeCloseTo(1);
    expect(percentilePosition([0, 0, 0, 0], 0.3)).toBe(0.3);
  });
});
