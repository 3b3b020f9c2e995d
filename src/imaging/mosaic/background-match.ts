import { Plane } from '../types';
import { PixelBox } from '../wcs/output-grid';

/** A tile reprojected onto (a coarse copy of) the output grid. */
export interface PlacedPiece {
  box: PixelBox;
  plane: Plane;
}

const MIN_OVERLAP = 16;
const MAX_SAMPLES = 200_000;

/** Median of `a − b` where both pieces are finite, or undefined when they barely overlap. */
export function overlapDifference(a: PlacedPiece, b: PlacedPiece): number | undefined {
  const x0 = Math.max(a.box.x0, b.box.x0);
  const x1 = Math.min(a.box.x1, b.box.x1);
  const y0 = Math.max(a.box.y0, b.box.y0);
  const y1 = Math.min(a.box.y1, b.box.y1);
  if (x0 > x1 || y0 > y1) return undefined;
  const step = Math.max(1, Math.ceil(Math.sqrt(((x1 - x0 + 1) * (y1 - y0 + 1)) / MAX_SAMPLES)));
  const diffs: number[] = [];
  for (let y = y0; y <= y1; y += step) {
    const ra = (y - a.box.y0) * a.plane.width - a.box.x0;
    const rb = (y - b.box.y0) * b.plane.width - b.box.x0;
    for (let x = x0; x <= x1; x += step) {
      const d = a.plane.data[ra + x] - b.plane.data[rb + x];
      if (d === d) diffs.push(d);
    }
  }
  if (diffs.length < MIN_OVERLAP) return undefined;
  diffs.sort((p, q) => p - q);
  const mid = diffs.length >> 1;
  return diffs.length % 2 ? diffs[mid] : (diffs[mid - 1] + diffs[mid]) / 2;
}

/**
 * Additive offsets b_i (subtract from tile i) that best explain the pairwise median differences
 * d_ij ≈ b_i − b_j in the least-squares sense, zero mean over the tiles that overlap others.
 */
export function solveOffsets(pieces: PlacedPiece[]): number[] {
  const n = pieces.length;
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i += 1)
    for (let j = i + 1; j < n; j += 1) {
      const d = overlapDifference(pieces[i], pieces[j]);
      if (d !== undefined) pairs.push([i, j, d]);
    }
  const offsets = new Array<number>(n).fill(0);
  const degree = new Array<number>(n).fill(0);
  for (const [i, j] of pairs) {
    degree[i] += 1;
    degree[j] += 1;
  }
  // Gauss–Seidel on the normal equations: each offset is the mean its neighbours imply.
  for (let iter = 0; iter < 500; iter += 1) {
    for (let k = 0; k < n; k += 1) {
      if (degree[k] === 0) continue;
      let sum = 0;
      for (const [i, j, d] of pairs) {
        if (i === k) sum += offsets[j] + d;
        else if (j === k) sum += offsets[i] - d;
      }
      offsets[k] = sum / degree[k];
    }
  }
  const linked = offsets.filter((_, k) => degree[k] > 0);
  const mean = linked.length ? linked.reduce((s, v) => s + v, 0) / linked.length : 0;
  return offsets.map((v, k) => (degree[k] > 0 ? v - mean : 0));
}
