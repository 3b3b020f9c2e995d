import { CelestialWcs } from './celestial-wcs';
import { WcsTransform } from './wcs-transform';

/** A sky position in degrees. */
export interface SkyPoint {
  ra: number;
  dec: number;
}

/** The public summary of an image's WCS (API.md `Wcs`). */
export interface WcsSummary {
  projection: string;
  center: SkyPoint;
  /** Outer pixel corners: FITS (0.5, 0.5), (0.5, N2+0.5), (N1+0.5, N2+0.5), (N1+0.5, 0.5). */
  corners: SkyPoint[];
  pixelScaleArcsec: number;
  /** CROTA2-equivalent rotation of north from the +y axis, degrees in (−180, 180]. */
  rotationDeg: number;
  frame: string;
}

const round = (v: number, digits: number): number => Number(v.toFixed(digits));

/** Pixel scale at the reference pixel, arcsec (square root of |det CD|). */
export function pixelScaleArcsec(wcs: CelestialWcs): number {
  const [a, b, c, d] = wcs.cd;
  return Math.sqrt(Math.abs(a * d - b * c)) * 3600;
}

/** Rotation of north from +y: CROTA2 for a standard (east-left) image, mirrored otherwise. */
export function rotationDeg(wcs: CelestialWcs): number {
  const [a, b, c, d] = wcs.cd;
  const parity = a * d - b * c < 0 ? 1 : -1;
  return (Math.atan2(-c * parity, d) * 180) / Math.PI;
}

/** Centre and outer corners of a width × height image on the sky. */
export function skyFootprint(
  wcs: CelestialWcs,
  width: number,
  height: number,
): { center: SkyPoint; corners: SkyPoint[] } {
  const t = new WcsTransform(wcs);
  const out = new Float64Array(2);
  const at = (x: number, y: number): SkyPoint => {
    t.pixelToWorld(x, y, out);
    return { ra: out[0], dec: out[1] };
  };
  const corners = [
    at(-0.5, -0.5),
    at(-0.5, height - 0.5),
    at(width - 0.5, height - 0.5),
    at(width - 0.5, -0.5),
  ];
  return { center: at((width - 1) / 2, (height - 1) / 2), corners };
}

/** The API summary of an image's WCS; coordinates rounded to ~1 mas. */
export function summarizeWcs(wcs: CelestialWcs, width: number, height: number): WcsSummary {
  const { center, corners } = skyFootprint(wcs, width, height);
  const point = (p: SkyPoint): SkyPoint => ({ ra: round(p.ra, 7), dec: round(p.dec, 7) });
  return {
    projection: wcs.projection,
    center: point(center),
    corners: corners.map(point),
    pixelScaleArcsec: round(pixelScaleArcsec(wcs), 6),
    rotationDeg: round(rotationDeg(wcs), 6),
    frame: wcs.frame,
  };
}
