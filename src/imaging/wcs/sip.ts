import { Sip, SipTerm } from './celestial-wcs';

/** Evaluates Σ c·u^p·v^q. */
export function sipPoly(terms: SipTerm[], u: number, v: number): number {
  let sum = 0;
  for (const [p, q, c] of terms) sum += c * u ** p * v ** q;
  return sum;
}

function sipDerivatives(terms: SipTerm[], u: number, v: number): [number, number] {
  let du = 0;
  let dv = 0;
  for (const [p, q, c] of terms) {
    if (p > 0) du += c * p * u ** (p - 1) * v ** q;
    if (q > 0) dv += c * q * u ** p * v ** (q - 1);
  }
  return [du, dv];
}

/**
 * Inverts the forward SIP distortion: finds (u, v) with u + A(u, v) = U, v + B(u, v) = V. Starts
 * from AP/BP when present, then Newton steps on the forward polynomials (as astropy's
 * `all_world2pix` solves the forward model, not AP/BP).
 */
export function sipInverse(sip: Sip, U: number, V: number, out: Float64Array): void {
  let u = U;
  let v = V;
  if (sip.ap && sip.bp) {
    u = U + sipPoly(sip.ap, U, V);
    v = V + sipPoly(sip.bp, U, V);
  }
  for (let i = 0; i < 50; i += 1) {
    const fu = u + sipPoly(sip.a, u, v) - U;
    const fv = v + sipPoly(sip.b, u, v) - V;
    const [au, av] = sipDerivatives(sip.a, u, v);
    const [bu, bv] = sipDerivatives(sip.b, u, v);
    const j11 = 1 + au;
    const j12 = av;
    const j21 = bu;
    const j22 = 1 + bv;
    const det = j11 * j22 - j12 * j21;
    const du = (fu * j22 - fv * j12) / det;
    const dv = (fv * j11 - fu * j21) / det;
    u -= du;
    v -= dv;
    if (Math.abs(du) + Math.abs(dv) < 1e-12) break;
  }
  out[0] = u;
  out[1] = v;
}
