import { InvalidImagingOptionsError } from '../errors';

/** An RGB colour with components in [0, 1]. */
export type Rgb = [number, number, number];

/** Parses `#rrggbb` (case-insensitive) into components in [0, 1]. */
export function parseHexColor(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new InvalidImagingOptionsError(`colour must be #rrggbb, got "${hex}"`);
  return [match[1], match[2], match[3]].map((h) => parseInt(h, 16) / 255) as Rgb;
}
