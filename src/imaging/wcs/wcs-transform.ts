import { CelestialWcs } from './celestial-wcs';
import { ProjectionMath, projectionMath } from './projections';
import { sipInverse, sipPoly } from './sip';
import { SkyRotation, nativePole } from './sky-rotation';

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/**
 * Pixel ↔ world for one celestial WCS. Pixels are 0-based with pixel centres at integers and row
 * 0 = FITS row 1 (astropy `origin=0`, the {@link Plane} convention); world is (RA, Dec) in degrees.
 * Methods write into `out` to avoid allocations in pixel loops; NaN where undefined.
 */
export class WcsTransform {
  private readonly proj: ProjectionMath;
  private readonly rotation: SkyRotation;
  private readonly inv: [number, number, number, number];
  private readonly t = new Float64Array(2);

  constructor(readonly wcs: CelestialWcs) {
    this.proj = projectionMath(wcs.projection);
    this.rotation = new SkyRotation(nativePole(wcs, this.proj.theta0));
    const [a, b, c, d] = wcs.cd;
    const det = a * d - b * c;
    this.inv = [d / det, -b / det, -c / det, a / det];
  }

  /** 0-based pixel → (RA in [0, 360), Dec) degrees. */
  pixelToWorld(x: number, y: number, out: Float64Array): void {
    const { wcs, t } = this;
    let u = x + 1 - wcs.crpix[0];
    let v = y + 1 - wcs.crpix[1];
    if (wcs.sip) {
      const du = sipPoly(wcs.sip.a, u, v);
      v += sipPoly(wcs.sip.b, u, v);
      u += du;
    }
    const [a, b, c, d] = wcs.cd;
    this.proj.toSphere(a * u + b * v, c * u + d * v, t);
    this.rotation.toCelestial(t[0], t[1], t);
    let ra = (t[0] * R2D) % 360;
    if (ra < 0) ra += 360;
    out[0] = ra;
    out[1] = t[1] * R2D;
  }

  /** (RA, Dec) degrees → 0-based pixel. */
  worldToPixel(ra: number, dec: number, out: Float64Array): void {
    const { wcs, t, inv } = this;
    this.rotation.toNative(ra * D2R, dec * D2R, t);
    this.proj.toPlane(t[0], t[1], t);
    const X = t[0];
    const Y = t[1];
    let u = inv[0] * X + inv[1] * Y;
    let v = inv[2] * X + inv[3] * Y;
    if (wcs.sip && u === u && v === v) {
      sipInverse(wcs.sip, u, v, t);
      u = t[0];
      v = t[1];
    }
    out[0] = u + wcs.crpix[0] - 1;
    out[1] = v + wcs.crpix[1] - 1;
  }
}
