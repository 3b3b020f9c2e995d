import { FITS_BLOCK, FitsValue, formatCard } from '../fits/fits-card';

/** An extra card for an extension header. */
export interface ExtensionCard {
  keyword: string;
  value: FitsValue;
  comment?: string;
}

function padded(bytes: Buffer, fill: number): Buffer {
  const rest = bytes.length % FITS_BLOCK;
  return rest === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(FITS_BLOCK - rest, fill)]);
}

/** A 16-bit integer IMAGE extension (e.g. a coverage count map), to append after a primary HDU. */
export function int16ImageExtension(
  width: number,
  height: number,
  values: Uint16Array,
  cards: ExtensionCard[],
): Buffer {
  const header = [
    formatCard('XTENSION', 'IMAGE', 'image extension'),
    formatCard('BITPIX', 16),
    formatCard('NAXIS', 2),
    formatCard('NAXIS1', width),
    formatCard('NAXIS2', height),
    formatCard('PCOUNT', 0),
    formatCard('GCOUNT', 1),
    ...cards.map((c) => formatCard(c.keyword, c.value, c.comment)),
    'END'.padEnd(80),
  ];
  const data = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i += 1) data.writeInt16BE(Math.min(32767, values[i]), i * 2);
  return Buffer.concat([padded(Buffer.from(header.join(''), 'latin1'), 0x20), padded(data, 0)]);
}
