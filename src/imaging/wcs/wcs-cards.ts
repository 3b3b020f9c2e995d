import { FitsValue } from '../fits/fits-card';
import { CelestialWcs, SipTerm } from './celestial-wcs';

/** A header card to write (as taken by `writeFits` options). */
export interface WcsCard {
  keyword: string;
  value: FitsValue;
  comment?: string;
}

/** Header cards describing `wcs` (CD matrix form, SIP when present). */
export function wcsCards(wcs: CelestialWcs): WcsCard[] {
  const sip = wcs.sip ? '-SIP' : '';
  const cards: WcsCard[] = [
    { keyword: 'WCSAXES', value: 2, comment: 'number of WCS axes' },
    { keyword: 'CTYPE1', value: `RA---${wcs.projection}${sip}` },
    { keyword: 'CTYPE2', value: `DEC--${wcs.projection}${sip}` },
    { keyword: 'CUNIT1', value: 'deg' },
    { keyword: 'CUNIT2', value: 'deg' },
    { keyword: 'CRPIX1', value: wcs.crpix[0], comment: 'reference pixel (1-based)' },
    { keyword: 'CRPIX2', value: wcs.crpix[1] },
    { keyword: 'CRVAL1', value: wcs.crval[0], comment: '[deg] RA at the reference pixel' },
    { keyword: 'CRVAL2', value: wcs.crval[1], comment: '[deg] Dec at the reference pixel' },
    { keyword: 'CD1_1', value: wcs.cd[0] },
    { keyword: 'CD1_2', value: wcs.cd[1] },
    { keyword: 'CD2_1', value: wcs.cd[2] },
    { keyword: 'CD2_2', value: wcs.cd[3] },
    { keyword: 'LONPOLE', value: wcs.lonpole },
    { keyword: 'LATPOLE', value: wcs.latpole },
    { keyword: 'RADESYS', value: wcs.frame.toUpperCase() },
  ];
  if (wcs.equinox !== undefined) cards.push({ keyword: 'EQUINOX', value: wcs.equinox });
  if (wcs.sip) {
    cards.push(...sipCards('A', wcs.sip.a), ...sipCards('B', wcs.sip.b));
    if (wcs.sip.ap && wcs.sip.bp)
      cards.push(...sipCards('AP', wcs.sip.ap), ...sipCards('BP', wcs.sip.bp));
  }
  return cards;
}

function sipCards(name: string, terms: SipTerm[]): WcsCard[] {
  const order = Math.max(1, ...terms.map(([p, q]) => p + q));
  return [
    { keyword: `${name}_ORDER`, value: order },
    ...terms.map(([p, q, value]) => ({ keyword: `${name}_${p}_${q}`, value })),
  ];
}

/**
 * The WCS of an image resampled from `from` to `to` pixels per axis with edges aligned (as
 * `resampleBilinear` does): source pixel P = s·(P' − ½) + ½ (1-based), s = from / to.
 */
export function scaleWcs(
  wcs: CelestialWcs,
  from: [number, number],
  to: [number, number],
): CelestialWcs {
  const sx = from[0] / to[0];
  const sy = from[1] / to[1];
  const [a, b, c, d] = wcs.cd;
  const scaled: CelestialWcs = {
    ...wcs,
    crpix: [(wcs.crpix[0] - 0.5) / sx + 0.5, (wcs.crpix[1] - 0.5) / sy + 0.5],
    cd: [a * sx, b * sy, c * sx, d * sy],
  };
  if (wcs.sip) {
    // u = sx·u', v = sy·v': A'(u', v') = A(sx·u', sy·v') / sx; AP/BP are dropped (solved anyway).
    const rescale = (terms: SipTerm[], k: number): SipTerm[] =>
      terms.map(([p, q, v]) => [p, q, (v * sx ** p * sy ** q) / k]);
    scaled.sip = { a: rescale(wcs.sip.a, sx), b: rescale(wcs.sip.b, sy) };
  }
  return scaled;
}
