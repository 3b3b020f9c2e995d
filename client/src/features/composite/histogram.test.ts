import { describe, expect, it } from 'vitest';
import { histogram, percentilePosition } from './histogram';

describe('histogram', () => {
  it('should count opaque pixels by luminance', () => {
    const px = new Uint8ClampedArray([0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0]);
    const h = histogram(px, 4);
    expect(h).toEqual([1, 0, 0, 1]);
  });
});

describe('percentilePosition', () => {
  it('should find where a fraction of the pixels lies', () => {
    expect(percentilePosition([50, 0, 0, 50], 0.25)).toBeCloseTo(0.125);
    expect(percentilePosition([50, 0, 0, 50], 1)).toBeCloseTo(1);
    expect(percentilePosition([0, 0, 0, 0], 0.3)).toBe(0.3);
  });
});
