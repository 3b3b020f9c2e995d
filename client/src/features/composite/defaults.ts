import type { CompositeBody, CompositeChannel } from '../../api/types';

/** Colours by channel order: one channel is grey, two a bicolour, three RGB, more add the secondaries. */
export function defaultColors(n: number): string[] {
  if (n <= 1) return ['#ffffff'].slice(0, n);
  if (n === 2) return ['#ff7a00', '#00a2ff'];
  const palette = [
    '#ff0000',
    '#00ff00',
    '#0000ff',
    '#ff00ff',
    '#ffff00',
    '#00ffff',
    '#ff8000',
    '#8000ff',
  ];
  return palette.slice(0, n);
}

/** Recolours channels that still wear a default colour when their count changes; keeps chosen ones. */
export function recolor(channels: CompositeChannel[]): CompositeChannel[] {
  const all = new Set([1, 2, 3, 4, 5, 6, 7, 8].flatMap((k) => defaultColors(k)));
  const colors = defaultColors(channels.length);
  return channels.map((c, i) => (all.has(c.color) ? { ...c, color: colors[i] } : c));
}

export const MAX_CHANNELS = 8;

export function newChannel(assetId: string): CompositeChannel {
  return {
    assetId,
    color: '#ffffff',
    stretch: 'asinh',
    blackPoint: 0.001,
    whitePoint: 0.999,
    gamma: 1,
    asinhA: 0.1,
    weight: 1,
  };
}

/** Output size that keeps the first channel's aspect ratio within `maxSide`. */
export function fitSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** Problems the form can tell before asking the server, by API field path. */
export function validateComposite(body: CompositeBody): Record<string, string> {
  const out: Record<string, string> = {};
  if (body.channels.length === 0) out.channels = 'Choose at least one image.';
  body.channels.forEach((c, i) => {
    if (!c.assetId) out[`channels.${i}.assetId`] = 'Choose an image for this channel.';
    if ((c.blackPoint ?? 0) >= (c.whitePoint ?? 1))
      out[`channels.${i}.whitePoint`] = 'The white point must be above the black point.';
  });
  return out;
}
