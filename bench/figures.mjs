// What every bench script shares: its numeric `--name value` options and how it prints a run.

const args = process.argv.slice(2);

/** The word after `--name` on the command line, else undefined. */
export const word = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

/** The number after `--name` on the command line, else `fallback`. */
export const option = (name, fallback) => {
  const value = word(name);
  return value === undefined ? fallback : Number(value);
};

/** Whether `--name` is on the command line. */
export const flag = (name) => args.includes(`--${name}`);

/** The q-quantile of ascending values (nearest rank). */
export const percentile = (sorted, q) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

const fmt = (n) => n.toFixed(2);

/** One line of a burst or steady run: jobs/s, submit→complete latency, event-loop lag. */
export function reportRun(name, { seconds, latencies }, lag) {
  const n = latencies.length;
  console.log(
    `${name.padEnd(28)} jobs=${n} wall=${fmt(seconds)}s throughput=${Math.round(n / seconds)} jobs/s ` +
      `p50=${fmt(percentile(latencies, 0.5))}ms p99=${fmt(percentile(latencies, 0.99))}ms max=${fmt(latencies[n - 1])}ms ` +
      `loop-lag-max=${fmt(lag.max / 1e6)}ms`,
  );
}
