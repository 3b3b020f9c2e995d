import { Plane } from '../types';
import { CelestialWcs } from './celestial-wcs';
import { PixelBox } from './output-grid';
import { WcsTransform } from './wcs-transform';

/** Interpolation of `reproject_interp`: order 0 (nearest) or 1 (bilinear). */
export type Interpolation = 'nearest' | 'bilinear';

/** Output pixels per side of a block whose input coordinates are interpolated from its corners. */
const BLOCK = 16;
/** Largest error (input pixels) allowed for interpolated coordinates; else a block is exact. */
const COORD_TOLERANCE = 1e-6;

/**
 * Input pixel coordinates of every output pixel of `box` (x then y, row by row), from the
 * output WCS to the sky to the input WCS. Exact at the corners of 16-pixel blocks; inside a block
 * bilinear in those corners when that is within 1e-6 pixel at the block's centre, else exact.
 */
export function mapCoordinates(
  from: CelestialWcs,
  to: CelestialWcs,
  box: PixelBox,
): { xs: Float64Array; ys: Float64Array } {
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  const xs = new Float64Array(w * h);
  const ys = new Float64Array(w * h);
  const src = new WcsTransform(from);
  const dst = new WcsTransform(to);
  const t = new Float64Array(2);
  const exact = (x: number, y: number): void => {
    dst.pixelToWorld(x, y, t);
    src.worldToPixel(t[0], t[1], t);
  };
  for (let by = 0; by < h; by += BLOCK) {
    const bh = Math.min(BLOCK, h - 1 - by);
    for (let bx = 0; bx < w; bx += BLOCK) {
      const bw = Math.min(BLOCK, w - 1 - bx);
      const block = { bx, by, bw, bh, w, x0: box.x0, y0: box.y0 };
      fillBlock(block, exact, t, xs, ys);
    }
  }
  return { xs, ys };
}

interface Block {
  bx: number;
  by: number;
  bw: number;
  bh: number;
  w: number;
  x0: number;
  y0: number;
}

function fillBlock(
  b: Block,
  exact: (x: number, y: number) => void,
  t: Float64Array,
  xs: Float64Array,
  ys: Float64Array,
): void {
  const c = new Float64Array(8); // x, y of the corners 00, 10, 01, 11
  const corners = [0, 0, b.bw, 0, 0, b.bh, b.bw, b.bh];
  for (let k = 0; k < 4; k += 1) {
    exact(b.x0 + b.bx + corners[2 * k], b.y0 + b.by + corners[2 * k + 1]);
    c[2 * k] = t[0];
    c[2 * k + 1] = t[1];
  }
  exact(b.x0 + b.bx + b.bw / 2, b.y0 + b.by + b.bh / 2);
  const midX = (c[0] + c[2] + c[4] + c[6]) / 4;
  const midY = (c[1] + c[3] + c[5] + c[7]) / 4;
  const smooth = b.bw > 0 && b.bh > 0 && Math.hypot(t[0] - midX, t[1] - midY) <= COORD_TOLERANCE;
  // A block covers BLOCK pixels from its lower-left corner; the last one reaches the far edge.
  const yEnd = b.by + (b.bh < BLOCK ? b.bh + 1 : BLOCK);
  const xEnd = b.bx + (b.bw < BLOCK ? b.bw + 1 : BLOCK);
  for (let y = b.by; y < yEnd; y += 1) {
    const fy = (y - b.by) / b.bh;
    // Row ends interpolated in y, then steps along the row: bilinear in the four corners.
    const ax = c[0] + fy * (c[4] - c[0]);
    const ay = c[1] + fy * (c[5] - c[1]);
    const sx = (c[2] + fy * (c[6] - c[2]) - ax) / b.bw;
    const sy = (c[3] + fy * (c[7] - c[3]) - ay) / b.bw;
    let i = y * b.w + b.bx;
    for (let x = b.bx; x < xEnd; x += 1, i += 1) {
      if (smooth) {
        xs[i] = ax + (x - b.bx) * sx;
        ys[i] = ay + (x - b.bx) * sy;
      } else {
        exact(b.x0 + x, b.y0 + y);
        xs[i] = t[0];
        ys[i] = t[1];
      }
    }
  }
}

/**
 * Samples `src` at input coordinates as `reproject_interp` does (scipy `map_coordinates` on the
 * edge-padded image): NaN outside [−0.5, n − 0.5] on either axis; order 0 rounds half up; order 1
 * is bilinear with edge pixels repeated. Writes `xs.length` values into `out`.
 */
export function sampleAt(
  src: Plane,
  xs: Float64Array,
  ys: Float64Array,
  interpolation: Interpolation,
  out: Float32Array,
): void {
  const { width: W, height: H, data } = src;
  const xmax = W - 0.5;
  const ymax = H - 0.5;
  const bilinear = interpolation === 'bilinear';
  for (let i = 0; i < xs.length; i += 1) {
    const cx = xs[i];
    const cy = ys[i];
    if (!(cx >= -0.5 && cx <= xmax && cy >= -0.5 && cy <= ymax)) {
      out[i] = NaN;
      continue;
    }
    if (!bilinear) {
      const ix = Math.min(W - 1, Math.floor(cx + 0.5));
      const iy = Math.min(H - 1, Math.floor(cy + 0.5));
      out[i] = data[Math.max(0, iy) * W + Math.max(0, ix)];
      continue;
    }
    const fx0 = Math.floor(cx);
    const fy0 = Math.floor(cy);
    const fx = cx - fx0;
    const fy = cy - fy0;
    const xa = fx0 < 0 ? 0 : fx0;
    const xb = fx0 + 1 > W - 1 ? W - 1 : fx0 + 1;
    const ra = (fy0 < 0 ? 0 : fy0) * W;
    const rb = (fy0 + 1 > H - 1 ? H - 1 : fy0 + 1) * W;
    const bottom = (1 - fx) * data[ra + xa] + fx * data[ra + xb];
    const top = (1 - fx) * data[rb + xa] + fx * data[rb + xb];
    out[i] = (1 - fy) * bottom + fy * top;
  }
}

/** Reprojects `src` (with WCS `from`) onto the pixels of `box` of a grid with WCS `to`. */
export function reprojectPlane(
  src: Plane,
  from: CelestialWcs,
  to: CelestialWcs,
  box: PixelBox,
  interpolation: Interpolation = 'bilinear',
): Plane {
  const width = box.x1 - box.x0 + 1;
  const height = box.y1 - box.y0 + 1;
  const data = new Float32Array(width * height);
  // Strips of rows keep the coordinate arrays small (16 bytes per pixel of one strip).
  const strip = BLOCK * 4;
  for (let y = box.y0; y <= box.y1; y += strip) {
    const part = { ...box, y0: y, y1: Math.min(box.y1, y + strip - 1) };
    const { xs, ys } = mapCoordinates(from, to, part);
    sampleAt(src, xs, ys, interpolation, data.subarray((y - box.y0) * width));
  }
  return { width, height, data };
}
