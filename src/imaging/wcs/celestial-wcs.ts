import { FitsCard, findCard } from '../fits/fits-card';

/** Celestial projections we read (FITS paper II codes). */
export type Projection = 'TAN' | 'SIN' | 'ZEA' | 'CAR';
export const PROJECTIONS: readonly Projection[] = ['TAN', 'SIN', 'ZEA', 'CAR'];

/** One SIP polynomial term: coefficient of u^p v^q. */
export type SipTerm = [p: number, q: number, value: number];

/** SIP distortion (Shupe et al. 2005): forward A/B, optional inverse AP/BP. */
export interface Sip {
  a: SipTerm[];
  b: SipTerm[];
  ap?: SipTerm[];
  bp?: SipTerm[];
}

/**
 * A celestial WCS, longitude on axis 1 and latitude on axis 2 (degrees). Plain JSON so it can be
 * stored with an asset and cross a worker boundary.
 */
export interface CelestialWcs {
  projection: Projection;
  /** Reference pixel, 1-based FITS pixel coordinates. */
  crpix: [number, number];
  /** Reference world coordinates (RA, Dec) in degrees. */
  crval: [number, number];
  /** Linear transform CD1_1, CD1_2, CD2_1, CD2_2 in degrees per pixel. */
  cd: [number, number, number, number];
  lonpole: number;
  latpole: number;
  /** Lower-case RADESYS: `icrs`, `fk5`, `fk4`, … */
  frame: string;
  equinox?: number;
  sip?: Sip;
}

const num = (cards: FitsCard[], key: string): number | undefined => {
  const v = findCard(cards, key)?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/** Reads the celestial WCS of a header, or null when it has none we understand. */
export function readWcs(cards: FitsCard[]): CelestialWcs | null {
  const c1 = findCard(cards, 'CTYPE1')?.value;
  const c2 = findCard(cards, 'CTYPE2')?.value;
  if (typeof c1 !== 'string' || typeof c2 !== 'string') return null;
  const m1 = /^RA-+([A-Z]{3})(-SIP)?$/.exec(c1.trim());
  const m2 = /^DEC-+([A-Z]{3})(-SIP)?$/.exec(c2.trim());
  if (!m1 || !m2 || m1[1] !== m2[1]) return null;
  const projection = m1[1] as Projection;
  if (!PROJECTIONS.includes(projection)) return null;
  const cd = readLinear(cards);
  const crval: [number, number] = [num(cards, 'CRVAL1') ?? 0, num(cards, 'CRVAL2') ?? 0];
  if (!cd || Math.abs(cd[0] * cd[3] - cd[1] * cd[2]) === 0) return null;
  const zenithal = projection !== 'CAR';
  const theta0 = zenithal ? 90 : 0;
  const wcs: CelestialWcs = {
    projection,
    crpix: [num(cards, 'CRPIX1') ?? 0, num(cards, 'CRPIX2') ?? 0],
    crval,
    cd,
    lonpole: num(cards, 'LONPOLE') ?? (crval[1] >= theta0 ? 0 : 180),
    latpole: num(cards, 'LATPOLE') ?? 90,
    ...frameOf(cards),
  };
  const sip = m1[2] && m2[2] ? readSip(cards) : undefined;
  if (sip) wcs.sip = sip;
  return wcs;
}

/** CD matrix, else PC × CDELT, else CROTA2 with CDELT (FITS paper II). */
function readLinear(cards: FitsCard[]): [number, number, number, number] | null {
  const keys = ['1_1', '1_2', '2_1', '2_2'];
  if (
    keys.some((k) => num(cards, `CD${k}`) !== undefined) &&
    !keys.some((k) => num(cards, `PC${k}`) !== undefined)
  ) {
    const [a, b, c, d] = keys.map((k) => num(cards, `CD${k}`) ?? 0);
    return [a, b, c, d];
  }
  const d1 = num(cards, 'CDELT1') ?? 1;
  const d2 = num(cards, 'CDELT2') ?? 1;
  if (keys.some((k) => num(cards, `PC${k}`) !== undefined)) {
    const [p11, p12, p21, p22] = keys.map(
      (k, i) => num(cards, `PC${k}`) ?? (i === 0 || i === 3 ? 1 : 0),
    );
    return [d1 * p11, d1 * p12, d2 * p21, d2 * p22];
  }
  const rho = ((num(cards, 'CROTA2') ?? 0) * Math.PI) / 180;
  const cos = Math.cos(rho);
  const sin = Math.sin(rho);
  return [d1 * cos, -d2 * sin, d1 * sin, d2 * cos];
}

/** RADESYS, defaulting as the FITS standard does from EQUINOX. */
function frameOf(cards: FitsCard[]): { frame: string; equinox?: number } {
  const equinox = num(cards, 'EQUINOX') ?? num(cards, 'EPOCH');
  const sys = findCard(cards, 'RADESYS')?.value ?? findCard(cards, 'RADECSYS')?.value;
  let frame = typeof sys === 'string' && sys.trim() ? sys.trim().toLowerCase() : '';
  if (!frame) frame = equinox === undefined ? 'icrs' : equinox < 1984 ? 'fk4' : 'fk5';
  if (frame === 'icrs') return { frame };
  return { frame, equinox: equinox ?? (frame === 'fk4' ? 1950 : 2000) };
}

function readSip(cards: FitsCard[]): Sip | undefined {
  const terms = (name: string): SipTerm[] | undefined => {
    const order = num(cards, `${name}_ORDER`);
    if (order === undefined) return undefined;
    const out: SipTerm[] = [];
    for (let p = 0; p <= order; p += 1)
      for (let q = 0; p + q <= order; q += 1) {
        const v = num(cards, `${name}_${p}_${q}`);
        if (v !== undefined && v !== 0) out.push([p, q, v]);
      }
    return out;
  };
  const a = terms('A');
  const b = terms('B');
  if (!a || !b) return undefined;
  const sip: Sip = { a, b };
  const ap = terms('AP');
  const bp = terms('BP');
  if (ap && bp) Object.assign(sip, { ap, bp });
  return sip;
}
