import { InvalidImagingOptionsError } from '../errors';
import { CelestialWcs } from './celestial-wcs';
import { pixelScaleArcsec } from './footprint';
import { WcsTransform } from './wcs-transform';

/** An image's size and celestial WCS. */
export interface SkyImage {
  wcs: CelestialWcs;
  width: number;
  height: number;
}

/** Output grid choices: pixel scale (finest input scale when absent), size box. */
export interface SkyGridOptions {
  pixelScaleArcsec?: number;
  /** The grid is made coarser, if needed, so it fits inside maxWidth × maxHeight. */
  maxWidth?: number;
  maxHeight?: number;
}

/** A pixel box on a grid, inclusive 0-based bounds. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const EDGE_SAMPLES = 16;

/** Points along the outer pixel edges of an image (0-based pixel coordinates). */
export function borderPixels(width: number, height: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < EDGE_SAMPLES; i += 1) {
    const f = i / EDGE_SAMPLES;
    out.push([-0.5 + f * width, -0.5], [width - 0.5, -0.5 + f * height]);
    out.push([width - 0.5 - f * width, height - 0.5], [-0.5, height - 0.5 - f * height]);
  }
  return out;
}

/** Border of `image` in `grid` pixel coordinates (NaN where the projection fails). */
export function borderOnGrid(image: SkyImage, grid: CelestialWcs): number[][] {
  const from = new WcsTransform(image.wcs);
  const to = new WcsTransform(grid);
  const t = new Float64Array(2);
  return borderPixels(image.width, image.height).map(([x, y]) => {
    from.pixelToWorld(x, y, t);
    to.worldToPixel(t[0], t[1], t);
    return [t[0], t[1]];
  });
}

/** Output pixels an image may touch: its border's box, one pixel wider, clipped to the grid. */
export function boxOnGrid(
  image: SkyImage,
  grid: CelestialWcs,
  width: number,
  height: number,
): PixelBox | null {
  const pts = borderOnGrid(image, grid);
  if (pts.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) {
    return { x0: 0, y0: 0, x1: width - 1, y1: height - 1 };
  }
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const box = {
    x0: Math.max(0, Math.floor(Math.min(...xs)) - 1),
    y0: Math.max(0, Math.floor(Math.min(...ys)) - 1),
    x1: Math.min(width - 1, Math.ceil(Math.max(...xs)) + 1),
    y1: Math.min(height - 1, Math.ceil(Math.max(...ys)) + 1),
  };
  return box.x0 > box.x1 || box.y0 > box.y1 ? null : box;
}

/** Mean direction of the images' centres, degrees. */
function meanCenter(images: SkyImage[]): [number, number] {
  const t = new Float64Array(2);
  let x = 0;
  let y = 0;
  let z = 0;
  const r = Math.PI / 180;
  for (const im of images) {
    new WcsTransform(im.wcs).pixelToWorld((im.width - 1) / 2, (im.height - 1) / 2, t);
    x += Math.cos(t[1] * r) * Math.cos(t[0] * r);
    y += Math.cos(t[1] * r) * Math.sin(t[0] * r);
    z += Math.sin(t[1] * r);
  }
  const ra = Math.atan2(y, x) / r;
  return [(ra + 360) % 360, Math.atan2(z, Math.hypot(x, y)) / r];
}

/**
 * One north-up TAN grid covering every image's footprint (as astropy's
 * `find_optimal_celestial_wcs`): reference at the mean centre, the finest input pixel scale
 * unless given, sized to the projected borders.
 */
export function planOutputGrid(images: SkyImage[], options: SkyGridOptions = {}): SkyImage {
  const scale =
    (options.pixelScaleArcsec ?? Math.min(...images.map((im) => pixelScaleArcsec(im.wcs)))) / 3600;
  const grid = gridAt(images, scale);
  const fit = Math.max(
    options.maxWidth ? grid.width / options.maxWidth : 0,
    options.maxHeight ? grid.height / options.maxHeight : 0,
  );
  return fit > 1 ? gridAt(images, scale * fit * 1.0001) : grid;
}

function gridAt(images: SkyImage[], scale: number): SkyImage {
  const first = images[0].wcs;
  const wcs: CelestialWcs = {
    projection: 'TAN',
    crpix: [1, 1],
    crval: meanCenter(images),
    cd: [-scale, 0, 0, scale],
    lonpole: 180,
    latpole: 90,
    frame: first.frame,
    ...(first.equinox !== undefined ? { equinox: first.equinox } : {}),
  };
  const pts = images.flatMap((im) => borderOnGrid(im, wcs));
  if (pts.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) {
    throw new InvalidImagingOptionsError('the tiles span too much sky for one TAN grid');
  }
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.floor(Math.min(...xs) + 0.5);
  const y0 = Math.floor(Math.min(...ys) + 0.5);
  const width = Math.max(1, Math.ceil(Math.max(...xs) - 0.5) - x0 + 1);
  const height = Math.max(1, Math.ceil(Math.max(...ys) - 0.5) - y0 + 1);
  return { wcs: { ...wcs, crpix: [1 - x0, 1 - y0] }, width, height };
}

/** Number of groups of images connected by overlapping footprints (1 = one piece). */
export function footprintGroups(images: SkyImage[], grid: CelestialWcs): number {
  const polygons = images.map((im) => borderOnGrid(im, grid));
  const parent = images.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  for (let i = 0; i < images.length; i += 1)
    for (let j = i + 1; j < images.length; j += 1)
      if (polygonsOverlap(polygons[i], polygons[j])) parent[root(i)] = root(j);
  return new Set(images.map((_, i) => root(i))).size;
}

/** Separating-axis test on the convex hulls' edges (footprints are near-convex quads). */
function polygonsOverlap(a: number[][], b: number[][]): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i += 1) {
      const [x1, y1] = poly[i];
      const [x2, y2] = poly[(i + 1) % poly.length];
      const nx = y2 - y1;
      const ny = x1 - x2;
      if (nx === 0 && ny === 0) continue;
      const project = (p: number[][]) => p.map(([x, y]) => x * nx + y * ny);
      const pa = project(a);
      const pb = project(b);
      if (Math.max(...pa) < Math.min(...pb) || Math.max(...pb) < Math.min(...pa)) return false;
    }
  }
  return true;
}
