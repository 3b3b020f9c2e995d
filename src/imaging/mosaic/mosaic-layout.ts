/** Size of one tile in pixels. */
export interface TileSize {
  width: number;
  height: number;
}

/** Position of a tile's bottom-left pixel (FITS pixel 1,1) on the canvas; origin bottom-left. */
export interface TilePlacement {
  x: number;
  y: number;
}

/** Canvas size and where each tile goes. */
export interface MosaicLayout {
  width: number;
  height: number;
  placements: TilePlacement[];
}

/** Grid options: `columns` defaults to ceil(√n); `gap` pixels between cells (0). */
export interface GridOptions {
  columns?: number;
  gap?: number;
}

/**
 * Reading-order grid: tile 0 at the top-left as displayed, left to right, then downwards. Cells
 * are as large as the largest tile; a smaller tile sits at its cell's displayed top-left corner.
 * Coordinates are FITS-oriented (y up), so the first displayed row has the largest y.
 */
export function gridLayout(sizes: TileSize[], options: GridOptions = {}): MosaicLayout {
  const n = sizes.length;
  const columns = Math.max(1, Math.min(n, options.columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / columns);
  const gap = options.gap ?? 0;
  const cellW = Math.max(...sizes.map((s) => s.width));
  const cellH = Math.max(...sizes.map((s) => s.height));
  const placements = sizes.map((size, i) => {
    const column = i % columns;
    const row = Math.floor(i / columns);
    const cellBottom = (rows - 1 - row) * (cellH + gap);
    return { x: column * (cellW + gap), y: cellBottom + cellH - size.height };
  });
  return {
    width: columns * cellW + (columns - 1) * gap,
    height: rows * cellH + (rows - 1) * gap,
    placements,
  };
}

/**
 * Explicit offsets in pixels (origin bottom-left, y up, FITS orientation; missing = 0, rounded).
 * The canvas is the bounding box of all tiles, shifted so it starts at 0,0 (negative offsets are fine).
 */
export function offsetLayout(
  sizes: TileSize[],
  offsets: Array<Partial<TilePlacement>>,
): MosaicLayout {
  const raw = sizes.map((_, i) => ({
    x: Math.round(offsets[i]?.x ?? 0),
    y: Math.round(offsets[i]?.y ?? 0),
  }));
  const minX = Math.min(...raw.map((p) => p.x));
  const minY = Math.min(...raw.map((p) => p.y));
  const placements = raw.map((p) => ({ x: p.x - minX, y: p.y - minY }));
  const width = Math.max(...placements.map((p, i) => p.x + sizes[i].width));
  const height = Math.max(...placements.map((p, i) => p.y + sizes[i].height));
  return { width, height, placements };
}
