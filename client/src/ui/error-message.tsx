import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';

/** What a person can do about an error, in words. */
export function describeError(err: unknown): { title: string; hint?: string } {
  if (!(err instanceof ApiError))
    return { title: err instanceof Error ? err.message : String(err) };
  switch (err.code) {
    case 'queue_full':
      return {
        title: 'The queue is full.',
        hint: 'Too many jobs are waiting. Try again when some have finished.',
      };
    case 'rate_limited':
      return { title: 'Too many requests.', hint: 'Slow down a little and try again.' };
    case 'validation_failed':
      return { title: 'Some values are not valid.', hint: 'See the fields marked below.' };
    case 'result_expired':
      return {
        title: 'This result has expired.',
        hint: 'Results are kept for a limited time: retry or run the export again.',
      };
    case 'too_large':
      return {
        title: err.message,
        hint: 'Choose a smaller output size, or tick "downscale to fit".',
      };
    case 'network':
      return {
        title: 'Connection lost.',
        hint: 'Check your network; the page reconnects on its own.',
      };
    case 'unavailable':
      return { title: 'The server is restarting or unavailable.', hint: 'Try again in a moment.' };
    default:
      return { title: err.message };
  }
}

/** Seconds left before a retry makes sense (counts down from Retry-After). */
function useCountdown(seconds: number | undefined): number | undefined {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    if (seconds === undefined) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const retryAfter = error instanceof ApiError ? error.retryAfterSec : undefined;
  const left = useCountdown(retryAfter);
  if (!error) return null;
  const { title, hint } = describeError(error);
  const waiting = left !== undefined && left > 0;
  return (
    <div className="alert alert--error" role="alert">
      <strong>{title}</strong>
      {hint && <span> {hint}</span>}
      {retryAfter !== undefined && (
        <span className="alert__wait">
          {waiting ? ` You can try again in ${left}s.` : ' You can try again now.'}
        </span>
      )}
      {onRetry && (
        <button type="button" className="btn btn--small" onClick={onRetry} disabled={waiting}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The problem for one field of a validation error, shown next to the field. */
export function fieldError(error: unknown, ...fields: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  for (const f of fields) {
    const p = error.fieldProblem(f);
    if (p) return p;
  }
  return undefined;
}
