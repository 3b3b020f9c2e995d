import { skyLevel } from './sky-level';

describe('skyLevel', () => {
  it('should find the background under bright sources and ignore NaN', () => {
    const data = Float32Array.from({ length: 10_000 }, (_, i) => 50 + ((i * 7919) % 11) - 5);
    for (let i = 0; i < 800; i += 1) data[i * 12] = 5000 + i; // stars
    data[3] = NaN;
    expect(skyLevel(data)).toBeCloseTo(50, 0);
  });

  it('should answer NaN when nothing is finite', () => {
    expect(skyLevel(Float32Array.of(NaN, NaN))).toBeNaN();
  });
});
