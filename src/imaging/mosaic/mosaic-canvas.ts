import { Plane } from '../types';
import { TilePlacement, TileSize } from './mosaic-layout';

/** How overlapping tiles combine. Non-finite tile pixels never count as coverage. */
export type CombineMode = 'first' | 'last' | 'mean' | 'sum' | 'min' | 'max';

/** A canvas being filled: NaN where no tile has covered yet. */
export interface MosaicCanvas extends Plane {
  mode: CombineMode;
  /** Per-pixel tile counts, for `mean` only. */
  counts?: Uint16Array;
}

/**
 * An empty (all-NaN) canvas. Pass `overlapping = false` when no two tiles can cover the same
 * pixel: `mean` then needs no per-pixel counts (every covered pixel has exactly one value).
 */
export function createCanvas(
  width: number,
  height: number,
  mode: CombineMode,
  overlapping = true,
): MosaicCanvas {
  const data = new Float32Array(width * height).fill(NaN);
  return {
    width,
    height,
    data,
    mode,
    counts: mode === 'mean' && overlapping ? new Uint16Array(width * height) : undefined,
  };
}

/** Whether any two tiles (sizes at placements) share a pixel. */
export function tilesOverlap(sizes: TileSize[], placements: TilePlacement[]): boolean {
  for (let i = 0; i < sizes.length; i += 1) {
    const a = placements[i];
    for (let j = i + 1; j < sizes.length; j += 1) {
      const b = placements[j];
      const apart =
        a.x + sizes[i].width <= b.x ||
        b.x + sizes[j].width <= a.x ||
        a.y + sizes[i].height <= b.y ||
        b.y + sizes[j].height <= a.y;
      if (!apart) return true;
    }
  }
  return false;
}

type Merge = (old: number, v: number) => number;
const MERGES: Record<Exclude<CombineMode, 'mean'>, Merge> = {
  first: (old) => old,
  last: (_old, v) => v,
  sum: (old, v) => old + v,
  min: (old, v) => (v < old ? v : old),
  max: (old, v) => (v > old ? v : old),
};

/** Adds one tile at its placement (must lie inside the canvas). */
export function addTile(canvas: MosaicCanvas, tile: Plane, at: TilePlacement): void {
  const merge: Merge = canvas.mode === 'mean' ? MERGES.sum : MERGES[canvas.mode];
  const { data, counts } = canvas;
  for (let y = 0; y < tile.height; y += 1) {
    const from = y * tile.width;
    const to = (at.y + y) * canvas.width + at.x;
    for (let x = 0; x < tile.width; x += 1) {
      const v = tile.data[from + x];
      if (v - v !== 0) continue; // NaN/Inf: not coverage
      const old = data[to + x];
      data[to + x] = old === old ? merge(old, v) : v;
      if (counts) counts[to + x] += 1;
    }
  }
}

/** Turns sums into means (mean mode); other modes are final already. */
export function finishCanvas(canvas: MosaicCanvas): Plane {
  const { data, counts } = canvas;
  if (counts) for (let i = 0; i < data.length; i += 1) if (counts[i] > 1) data[i] /= counts[i];
  return { width: canvas.width, height: canvas.height, data };
}
