import { PlacedPiece, overlapDifference, solveOffsets } from './background-match';

const piece = (x0: number, width: number, value: number): PlacedPiece => ({
  box: { x0, y0: 0, x1: x0 + width - 1, y1: 9 },
  plane: {
    width,
    height: 10,
    data: Float32Array.from({ length: width * 10 }, (_, i) => value + ((i * 7) % 5) * 1e-3),
  },
});

describe('solveOffsets', () => {
  it('should find the additive offsets of a chain of overlapping tiles', () => {
    const pieces = [piece(0, 20, 10), piece(15, 20, 13), piece(30, 20, 7), piece(100, 5, 99)];
    const offsets = solveOffsets(pieces);
    expect(offsets[1] - offsets[0]).toBeCloseTo(3, 2);
    expect(offsets[2] - offsets[1]).toBeCloseTo(-6, 2);
    expect(offsets[0] + offsets[1] + offsets[2]).toBeCloseTo(0, 6);
    expect(offsets[3]).toBe(0); // overlaps nothing: left alone
  });

  it('should ignore NaN and boxes that do not meet', () => {
    const a = piece(0, 10, 1);
    const b = piece(5, 10, 2);
    b.plane.data.fill(NaN, 0, 3);
    expect(overlapDifference(a, b)).toBeCloseTo(-1, 2);
    expect(overlapDifference(a, piece(50, 10, 0))).toBeUndefined();
  });
});
