import { gridLayout, offsetLayout } from './mosaic-layout';

describe('gridLayout', () => {
  it('should default to ceil(sqrt(n)) columns in reading order, top row first', () => {
    const sizes = Array.from({ length: 5 }, () => ({ width: 10, height: 4 }));
    const layout = gridLayout(sizes, { gap: 2 });
    expect(layout).toMatchObject({ width: 3 * 10 + 2 * 2, height: 2 * 4 + 2 });
    expect(layout.placements).toEqual([
      { x: 0, y: 6 },
      { x: 12, y: 6 },
      { x: 24, y: 6 },
      { x: 0, y: 0 },
      { x: 12, y: 0 },
    ]);
  });

  it('should size cells to the largest tile and top-align smaller tiles', () => {
    const layout = gridLayout(
      [
        { width: 4, height: 4 },
        { width: 2, height: 1 },
      ],
      { columns: 1 },
    );
    expect(layout).toEqual({
      width: 4,
      height: 8,
      placements: [
        { x: 0, y: 4 },
        { x: 0, y: 3 },
      ],
    });
  });

  it('should cap columns at the tile count', () => {
    expect(gridLayout([{ width: 3, height: 3 }], { columns: 8 }).width).toBe(3);
  });
});

describe('offsetLayout', () => {
  it('should use the bounding box and shift negative offsets to 0', () => {
    const layout = offsetLayout(
      [
        { width: 4, height: 3 },
        { width: 4, height: 3 },
      ],
      [{ x: -2, y: 1.4 }, { x: 1 }],
    );
    expect(layout).toEqual({
      width: 7,
      height: 4,
      placements: [
        { x: 0, y: 1 },
        { x: 3, y: 0 },
      ],
    });
  });
});
