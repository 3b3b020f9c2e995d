import { FitsCard, FitsValue, findCard, formatCard } from './fits-card';

/** True for a BINTABLE header that holds a tile-compressed image (`ZIMAGE = T`). */
export function isCompressedImage(cards: readonly FitsCard[]): boolean {
  return (
    findCard(cards, 'XTENSION')?.value === 'BINTABLE' && findCard(cards, 'ZIMAGE')?.value === true
  );
}

/** Table keywords indexed by column (TTYPEn, TFORMn, …) that astropy drops from the image header. */
const TABLE_KEYWORD =
  /^(TTYPE|TFORM|TUNIT|TNULL|TSCAL|TZERO|TDISP|TBCOL|TDIM|TCTYP|TCUNI|TCRPX|TCRVL|TCDLT|TRPOS)\d+$/;
/** Indexed compression keywords (ZNAXISn, ZTILEn, ZNAMEn, ZVALn). */
const INDEXED_Z = /^(ZNAXIS|ZTILE|ZNAME|ZVAL)[1-9]\d*$/;
const COMPRESSION = new Set([
  'ZSIMPLE',
  'ZTENSION',
  'ZBITPIX',
  'ZNAXIS',
  'ZEXTEND',
  'ZBLOCKED',
  'ZPCOUNT',
  'ZGCOUNT',
  'ZHECKSUM',
  'ZDATASUM',
  'ZIMAGE',
  'ZCMPTYPE',
  'ZMASKCMP',
  'ZQUANTIZ',
  // Not ZDITHER0: astropy's reserved-keyword pattern misses it, so its image header keeps it.
]);
/** The table's own structural cards, rebuilt from their Z counterparts at the front. */
const STRUCTURAL = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT)$/;

function reserved(card: FitsCard): boolean {
  const k = card.keyword;
  return k === 'TFIELDS' || TABLE_KEYWORD.test(k) || INDEXED_Z.test(k) || COMPRESSION.has(k);
}

function card(keyword: string, value: FitsValue, comment?: string): FitsCard {
  return { keyword, value, comment, raw: formatCard(keyword, value, comment) };
}

/**
 * The header of the image inside a tile-compressed HDU, as astropy's `CompImageHDU.header`
 * builds it: Z keywords become the image's own (ZBITPIX → BITPIX, ZNAXISn → NAXISn, ZTENSION →
 * XTENSION, …), table and compression keywords go, the default EXTNAME `COMPRESSED_IMAGE`
 * goes. Blank cards are left out.
 */
export function logicalHeader(table: readonly FitsCard[]): FitsCard[] {
  const z = (k: string) => findCard(table, k);
  const naxis = Number(z('ZNAXIS')?.value ?? 0);
  const front: FitsCard[] = [];
  const simple = z('ZSIMPLE');
  if (simple) front.push(card('SIMPLE', simple.value, simple.comment));
  else front.push(card('XTENSION', 'IMAGE', (z('ZTENSION') ?? z('XTENSION'))?.comment));
  front.push(card('BITPIX', z('ZBITPIX')?.value ?? null, z('ZBITPIX')?.comment));
  front.push(card('NAXIS', naxis, z('ZNAXIS')?.comment));
  for (let i = 1; i <= naxis; i += 1) {
    const axis = z(`ZNAXIS${i}`);
    front.push(card(`NAXIS${i}`, axis?.value ?? null, axis?.comment));
  }
  if (!simple) {
    const [pcount, gcount] = [z('ZPCOUNT'), z('ZGCOUNT')];
    front.push(card('PCOUNT', pcount?.value ?? 0, (pcount ?? z('PCOUNT'))?.comment));
    front.push(card('GCOUNT', gcount?.value ?? 1, (gcount ?? z('GCOUNT'))?.comment));
  }
  const rest = table.filter(
    (c) =>
      !reserved(c) &&
      !STRUCTURAL.test(c.keyword) &&
      !(c.keyword === 'EXTNAME' && c.value === 'COMPRESSED_IMAGE') &&
      !(c.keyword === '' && c.raw.trim() === ''),
  );
  const moved: Array<[string, string]> = [
    ['ZEXTEND', 'EXTEND'],
    ['ZBLOCKED', 'BLOCKED'],
    ['ZHECKSUM', 'CHECKSUM'],
    ['ZDATASUM', 'DATASUM'],
  ];
  for (const [from, to] of moved) {
    const source = z(from);
    if (!source) continue;
    const replacement = card(to, source.value, source.comment);
    const at = rest.findIndex((c) => c.keyword === to);
    if (at >= 0) rest[at] = replacement;
    else rest.push(replacement);
  }
  return [...front, ...rest];
}
