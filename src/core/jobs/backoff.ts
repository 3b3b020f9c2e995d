/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, half random,
 * so retries of a burst spread out yet never fire immediately.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
