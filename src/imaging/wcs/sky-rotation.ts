import { CelestialWcs } from './celestial-wcs';

const D2R = Math.PI / 180;

/** Celestial coordinates of the native pole and native longitude of the celestial pole (radians). */
export interface NativePole {
  alphaP: number;
  deltaP: number;
  phiP: number;
}

/** The native pole from CRVAL, LONPOLE, LATPOLE (Calabretta & Greisen 2002, eqs 8–10). */
export function nativePole(wcs: CelestialWcs, theta0: number): NativePole {
  const alpha0 = wcs.crval[0] * D2R;
  const delta0 = wcs.crval[1] * D2R;
  const phiP = wcs.lonpole * D2R;
  if (theta0 === Math.PI / 2) return { alphaP: alpha0, deltaP: delta0, phiP };
  const phi0 = 0;
  const base = Math.atan2(Math.sin(theta0), Math.cos(theta0) * Math.cos(phiP - phi0));
  const s = Math.sin(phiP - phi0) * Math.cos(theta0);
  const arg = Math.sin(delta0) / Math.sqrt(1 - s * s);
  const spread = Math.acos(Math.max(-1, Math.min(1, arg)));
  const candidates = [base + spread, base - spread]
    .map(wrapPi)
    .filter((d) => d >= -Math.PI / 2 - 1e-12 && d <= Math.PI / 2 + 1e-12);
  const latpole = wcs.latpole * D2R;
  candidates.sort((a, b) => Math.abs(a - latpole) - Math.abs(b - latpole));
  const deltaP = candidates[0] ?? base;
  const alphaP =
    Math.abs(Math.cos(deltaP)) < 1e-12
      ? alpha0 + phiP - phi0 - (deltaP > 0 ? Math.PI : 0)
      : alpha0 -
        Math.atan2(
          (Math.sin(phiP - phi0) * Math.cos(theta0)) / Math.cos(delta0),
          (Math.sin(theta0) - Math.sin(deltaP) * Math.sin(delta0)) /
            (Math.cos(delta0) * Math.cos(deltaP)),
        );
  return { alphaP, deltaP, phiP };
}

function wrapPi(a: number): number {
  let x = a;
  while (x > Math.PI) x -= 2 * Math.PI;
  while (x < -Math.PI) x += 2 * Math.PI;
  return x;
}

/** Native ↔ celestial spherical rotation with precomputed sines (radians). */
export class SkyRotation {
  private readonly sinDp: number;
  private readonly cosDp: number;

  constructor(private readonly pole: NativePole) {
    this.sinDp = Math.sin(pole.deltaP);
    this.cosDp = Math.cos(pole.deltaP);
  }

  /** (phi, theta) → (alpha, delta), radians. */
  toCelestial(phi: number, theta: number, out: Float64Array): void {
    const d = phi - this.pole.phiP;
    const ct = Math.cos(theta);
    const st = Math.sin(theta);
    const cd = Math.cos(d);
    const y = -ct * Math.sin(d);
    const x = st * this.cosDp - ct * this.sinDp * cd;
    out[0] = this.pole.alphaP + Math.atan2(y, x);
    // atan2 keeps full precision near the poles, where asin would lose half the digits.
    out[1] = Math.atan2(st * this.sinDp + ct * this.cosDp * cd, Math.sqrt(x * x + y * y));
  }

  /** (alpha, delta) → (phi, theta), radians. */
  toNative(alpha: number, delta: number, out: Float64Array): void {
    const d = alpha - this.pole.alphaP;
    const cdl = Math.cos(delta);
    const sdl = Math.sin(delta);
    const ca = Math.cos(d);
    const y = -cdl * Math.sin(d);
    const x = sdl * this.cosDp - cdl * this.sinDp * ca;
    out[0] = this.pole.phiP + Math.atan2(y, x);
    out[1] = Math.atan2(sdl * this.sinDp + cdl * this.cosDp * ca, Math.sqrt(x * x + y * y));
  }
}
