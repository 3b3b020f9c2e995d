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
