import type { Job } from '../../api/types';
import { TERMINAL_STATES } from '../../api/types';
import { useJobActions } from '../../api/queries';
import { ErrorMessage } from '../../ui/error-message';
import { DownloadLink } from './download-link';
import { estimateRemainingMs, formatDuration } from '../../ui/format';
import { ProgressBar } from '../../ui/progress-bar';
import { useNow } from '../../ui/use-now';

export const isFinished = (job: Job): boolean => TERMINAL_STATES.includes(job.state);

export function StateBadge({ job }: { job: Job }) {
  const label = job.cancelRequested && !isFinished(job) ? 'cancelling' : job.state;
  return <span className={`state state--${job.state}`}>{label}</span>;
}

/** Progress bar, stage text, elapsed time and time left of one job. */
export function JobProgress({ job, label }: { job: Job; label: string }) {
  const running = job.state === 'running';
  const now = useNow(running);
  const start = job.startedAt ?? job.createdAt;
  const end = isFinished(job) ? Date.parse(job.finishedAt ?? job.updatedAt) : now;
  const elapsed = end - Date.parse(start);
  const left = running ? estimateRemainingMs(job.progress, job.startedAt, now) : undefined;
  const stage =
    job.stage ||
    (job.state === 'queued'
      ? job.queuePosition
        ? `waiting, #${job.queuePosition} in queue`
        : 'waiting'
      : '');
  return (
    <div className="jobprogress">
      <ProgressBar
        value={job.progress}
        label={label}
        state={job.state}
        text={`${Math.round(job.progress)} %${stage ? `, ${stage}` : ''}`}
      />
      <div className="jobprogress__meta">
        <span className="jobprogress__pct">{Math.round(job.progress)} %</span>
        <span className="jobprogress__stage">{stage}</span>
        <span className="muted">
          {formatDuration(elapsed)}
          {left !== undefined && <> · about {formatDuration(left)} left</>}
        </span>
      </div>
    </div>
  );
}

/** Cancel, retry, download and delete, as the job's state allows. */
export function JobActions({ job, compact = false }: { job: Job; compact?: boolean }) {
  const { cancel, retry, remove } = useJobActions();
  const finished = isFinished(job);
  const error = cancel.error ?? retry.error ?? remove.error;
  const small = compact ? ' btn--small' : '';
  return (
    <div className="actions">
      {!finished && (
        <button
          type="button"
          className={`btn${small}`}
          onClick={() => cancel.mutate(job.id)}
          disabled={cancel.isPending || job.cancelRequested}
        >
          Cancel
        </button>
      )}
      {(job.state === 'failed' || job.state === 'cancelled') && (
        <button
          type="button"
          className={`btn${small}`}
          onClick={() => retry.mutate(job.id)}
          disabled={retry.isPending}
        >
          Retry
        </button>
      )}
      {job.state === 'completed' && (
        <DownloadLink job={job} className={`btn btn--primary${small}`} />
      )}
      {job.state === 'completed' && job.result?.kind === 'asset' && (
        <a className={`btn${small}`} href="/library">
          In library
        </a>
      )}
      <button
        type="button"
        className={`btn btn--ghost${small}`}
        onClick={() => remove.mutate(job.id)}
        disabled={remove.isPending}
        aria-label={`Delete job ${job.id}`}
      >
        Delete
      </button>
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
