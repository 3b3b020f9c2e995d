/** Luminance histogram of RGBA pixels, in `bins` bins over 0..255. */
export function histogram(rgba: Uint8ClampedArray, bins = 64): number[] {
  const out = new Array<number>(bins).fill(0);
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] === 0) continue;
    const y = 0.2126 * rgba[i] + 0.7152 * rgba[i + 1] + 0.0722 * rgba[i + 2];
    out[Math.min(bins - 1, Math.floor((y / 256) * bins))] += 1;
  }
  return out;
}

/** The bin position (0..1 along the axis) below which a fraction `p` of the pixels lies. */
export function percentilePosition(hist: number[], p: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return p;
  const target = p * total;
  let sum = 0;
  for (let i = 0; i < hist.length; i += 1) {
    if (sum + hist[i] >= target) {
      const within = hist[i] ? (target - sum) / hist[i] : 0;
      return (i + within) / hist.length;
    }
    sum += hist[i];
  }
  return 1;
}
