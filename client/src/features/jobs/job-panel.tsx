import { useRef } from 'react';
import { useJob } from '../../api/queries';
import { useWatchJobs } from '../../live/live-context';
import { ErrorMessage } from '../../ui/error-message';
import { formatBytes, formatTime } from '../../ui/format';
import { useReveal } from '../../ui/use-reveal';
import { JobActions, JobProgress, StateBadge } from './job-bits';

/** One job in full: progress, error, result, log and the history of its runs. */
export function JobPanel({ id, onClose }: { id: string; onClose(): void }) {
  const query = useJob(id);
  useWatchJobs([id]);
  const job = query.data;
  const panel = useRef<HTMLElement>(null);
  useReveal(panel, id);
  return (
    <aside
      ref={panel}
      className="card details"
      aria-labelledby="job-title"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="details__head">
        <h2 id="job-title" className="card__title">
          Job <code>{id}</code>
        </h2>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={onClose}
          aria-label="Close job details"
        >
          ✕
        </button>
      </div>
      {query.error && <ErrorMessage error={query.error} />}
      {job && (
        <>
          <p>
            {job.type} · <StateBadge job={job} /> · attempt {job.attempt} of {job.maxAttempts}
            {job.owner && <> · owner {job.owner}</>}
          </p>
          <JobProgress job={job} label={`Progress of job ${job.id}`} />
          {job.error && (
            <p className="alert alert--error">
              <strong>{job.error.code}</strong>: {job.error.message}
              {job.error.retryable ? ' (retryable)' : ''}
            </p>
          )}
          {job.result?.kind === 'blob' && (
            <p className="muted">
              {job.result.filename} · {formatBytes(job.result.bytes)} · expires{' '}
              {formatTime(job.expiresAt)}
            </p>
          )}
          <JobActions job={job} />
          <h3>Log</h3>
          {job.messages?.length ? (
            <ol className="log" aria-label="Job log">
              {job.messages.map((m, i) => (
                <li key={i}>
                  <time className="muted">{formatTime(m.at)}</time> {m.text}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No messages.</p>
          )}
          {job.history && (
            <>
              <h3>History</h3>
              <ol className="log" aria-label="Job history">
                {job.history.map((h, i) => (
                  <li key={i}>
                    <time className="muted">{formatTime(h.at)}</time> <strong>{h.event}</strong> ·
                    attempt {h.attempt} · node <code>{h.node}</code>
                    {h.reason && <> · {h.reason}</>}
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </aside>
  );
}
