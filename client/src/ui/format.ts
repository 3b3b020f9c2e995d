/** Human-readable figures for the UI (pure, unit-tested). */

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** Durations of work: milliseconds below a second, then as formatDuration. */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(ms);
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Time left from the progress made since the start of this run: linear extrapolation, only
 * once there is something to extrapolate from (≥ 2 % and ≥ 1 s).
 */
export function estimateRemainingMs(
  progress: number,
  startedAt: string | undefined,
  now: number,
): number | undefined {
  if (!startedAt || progress < 2 || progress >= 100) return undefined;
  const elapsed = now - Date.parse(startedAt);
  if (!(elapsed >= 1000)) return undefined;
  return (elapsed * (100 - progress)) / progress;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleTimeString();
}

export function shortId(id: string): string {
  return id.length > 10 ? id.slice(0, 8) : id;
}
