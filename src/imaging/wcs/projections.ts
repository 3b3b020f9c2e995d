import { Projection } from './celestial-wcs';

const R2D = 180 / Math.PI;

/**
 * Native spherical (phi, theta; radians) ↔ projection-plane (x, y; degrees) for one projection
 * (FITS paper II, Calabretta & Greisen 2002). `toPlane` gives NaN where the projection is undefined.
 */
export interface ProjectionMath {
  /** Native latitude of the reference point, radians (π/2 zenithal, 0 cylindrical). */
  theta0: number;
  toPlane(phi: number, theta: number, out: Float64Array): void;
  toSphere(x: number, y: number, out: Float64Array): void;
}

/** Zenithal projection from R(θ) and its inverse θ(R). */
function zenithal(radius: (theta: number) => number, theta: (r: number) => number): ProjectionMath {
  return {
    theta0: Math.PI / 2,
    toPlane(phi, th, out) {
      const r = radius(th);
      out[0] = r * Math.sin(phi);
      out[1] = -r * Math.cos(phi);
    },
    toSphere(x, y, out) {
      const r = Math.sqrt(x * x + y * y);
      out[0] = r === 0 ? 0 : Math.atan2(x, -y);
      out[1] = theta(r);
    },
  };
}

const TAN = zenithal(
  (th) => (th > 0 ? (R2D * Math.cos(th)) / Math.sin(th) : NaN),
  (r) => Math.atan2(R2D, r),
);
const SIN = zenithal(
  (th) => (th >= 0 ? R2D * Math.cos(th) : NaN),
  (r) => (r <= R2D ? Math.acos(r / R2D) : NaN),
);
const ZEA = zenithal(
  (th) => 2 * R2D * Math.sin((Math.PI / 2 - th) / 2),
  (r) => (r <= 2 * R2D ? Math.PI / 2 - 2 * Math.asin(r / (2 * R2D)) : NaN),
);
const CAR: ProjectionMath = {
  theta0: 0,
  toPlane(phi, th, out) {
    out[0] = Math.atan2(Math.sin(phi), Math.cos(phi)) * R2D;
    out[1] = th * R2D;
  },
  toSphere(x, y, out) {
    out[0] = x / R2D;
    out[1] = Math.abs(y) <= 90 ? y / R2D : NaN;
  },
};

const ALL: Record<Projection, ProjectionMath> = { TAN, SIN, ZEA, CAR };

export function projectionMath(p: Projection): ProjectionMath {
  return ALL[p];
}
