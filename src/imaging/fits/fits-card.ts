/** Size of a FITS logical record; headers and data are padded to it. */
export const FITS_BLOCK = 2880;
/** Size of one header card image. */
export const CARD_LENGTH = 80;

/** A value held by a header card. `null` means the card has no value (COMMENT, HISTORY, blank). */
export type FitsValue = string | number | boolean | null;

/** One parsed 80-character header card. `raw` is kept so unknown forms survive a rewrite. */
export interface FitsCard {
  keyword: string;
  value: FitsValue;
  comment?: string;
  raw: string;
}

/** Parses one 80-character card image (ASCII). */
export function parseCard(raw: string): FitsCard {
  const keyword = raw.slice(0, 8).trim();
  if (raw.slice(8, 10) !== '= ') {
    return { keyword, value: null, raw };
  }
  const rest = raw.slice(10);
  if (rest.trimStart().startsWith("'")) {
    return { keyword, ...parseStringValue(rest), raw };
  }
  const slash = rest.indexOf('/');
  const text = (slash >= 0 ? rest.slice(0, slash) : rest).trim();
  const comment = slash >= 0 ? rest.slice(slash + 1).trim() : undefined;
  return { keyword, value: parseScalar(text), comment, raw };
}

function parseStringValue(rest: string): { value: string; comment?: string } {
  const start = rest.indexOf("'");
  let value = '';
  let i = start + 1;
  // A doubled quote is an escaped quote inside the string.
  while (i < rest.length) {
    if (rest[i] === "'") {
      if (rest[i + 1] !== "'") break;
      value += "'";
      i += 2;
      continue;
    }
    value += rest[i];
    i += 1;
  }
  const after = rest.slice(i + 1);
  const slash = after.indexOf('/');
  return {
    value: value.trimEnd(),
    comment: slash >= 0 ? after.slice(slash + 1).trim() : undefined,
  };
}

function parseScalar(text: string): FitsValue {
  if (text === 'T') return true;
  if (text === 'F') return false;
  if (text === '') return null;
  // FITS allows a Fortran-style D exponent.
  const n = Number(text.replace(/[dD]/, 'E'));
  return Number.isNaN(n) ? text : n;
}

/** Formats a number so FITS readers accept it: uppercase exponent, no `Infinity`. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} in a FITS header`);
  // BigInt prints big integers (e.g. a 64-bit BLANK) in full, never in exponent form.
  if (Number.isInteger(value) && Math.abs(value) <= 2 ** 63) return BigInt(value).toString();
  const text = value.toPrecision(17).replace(/\.?0+(?=e|$)/i, '');
  const withDot = /[.e]/i.test(text) ? text : `${text}.0`;
  return withDot.toUpperCase().replace('E+', 'E');
}

/** Builds one 80-character card; strings are quoted, other values right-aligned to column 30. */
export function formatCard(keyword: string, value: FitsValue, comment?: string): string {
  const key = keyword.toUpperCase().padEnd(8).slice(0, 8);
  if (value === null) {
    return `${key}${comment ? `  ${comment}` : ''}`.padEnd(CARD_LENGTH).slice(0, CARD_LENGTH);
  }
  let text: string;
  if (typeof value === 'string') {
    text = `'${value.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  } else if (typeof value === 'boolean') {
    text = (value ? 'T' : 'F').padStart(20);
  } else {
    text = formatNumber(value).padStart(20);
  }
  const card = `${key}= ${text}${comment ? ` / ${comment}` : ''}`;
  return card.padEnd(CARD_LENGTH).slice(0, CARD_LENGTH);
}

/** First card with that keyword, or undefined. */
export function findCard(cards: readonly FitsCard[], keyword: string): FitsCard | undefined {
  return cards.find((c) => c.keyword === keyword);
}

/** Numeric value of a keyword, or `fallback` when absent or not a number. */
export function numberCard(cards: readonly FitsCard[], keyword: string, fallback: number): number {
  const value = findCard(cards, keyword)?.value;
  return typeof value === 'number' ? value : fallback;
}
