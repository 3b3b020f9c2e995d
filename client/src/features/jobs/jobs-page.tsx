import { useMemo, useState } from 'react';
import type { Job } from '../../api/types';
import { useJobs } from '../../api/queries';
import { useSession } from '../../auth/session-context';
import { useWatchJobs } from '../../live/live-context';
import { ErrorMessage } from '../../ui/error-message';
import { formatTime, shortId } from '../../ui/format';
import { isFinished, JobActions, JobProgress, StateBadge } from './job-bits';
import { JobPanel } from './job-panel';
import { JobsToolbar, JobsView } from './jobs-toolbar';

export function JobsPage() {
  const { claims } = useSession();
  const [view, setView] = useState<JobsView>({ state: '', type: '', search: '', all: false });
  const [open, setOpen] = useState<string | null>(null);
  const jobs = useJobs({ state: view.state || undefined, type: view.type || undefined }, view.all);
  const items = useMemo(() => jobs.data?.pages.flatMap((p) => p.items) ?? [], [jobs.data]);
  const needle = view.search.trim().toLowerCase();
  const shown = needle ? items.filter((j) => j.id.toLowerCase().includes(needle)) : items;
  // Live events of one's own jobs come anyway; watching the active ones also covers other
  // users' jobs (admins) and the SSE fallback.
  useWatchJobs(
    shown
      .filter((j) => !isFinished(j))
      .slice(0, 20)
      .map((j) => j.id),
  );
  const openSearch = () => needle && setOpen(shown.length === 1 ? shown[0].id : view.search.trim());
  return (
    <div className="page">
      <h1 className="page__title">Jobs</h1>
      <JobsToolbar
        view={view}
        setView={setView}
        items={items}
        admin={!!claims?.admin}
        onSearch={openSearch}
      />
      {jobs.error && <ErrorMessage error={jobs.error} onRetry={() => void jobs.refetch()} />}
      <div className={`split${open ? ' split--open' : ''}`}>
        <section className="card" aria-labelledby="jobs-title">
          <h2 id="jobs-title" className="card__title">
            {shown.length} job{shown.length === 1 ? '' : 's'}
          </h2>
          {jobs.isLoading && <p className="muted">Loading…</p>}
          {!jobs.isLoading && shown.length === 0 && (
            <p className="empty">No jobs here. Exports you start appear in this list, live.</p>
          )}
          <ul className="joblist" aria-label="Jobs">
            {shown.map((job) => (
              <JobRow
                key={job.id}
                job={job}
                selected={job.id === open}
                onOpen={() => setOpen(job.id)}
              />
            ))}
          </ul>
          {jobs.hasNextPage && (
            <button
              type="button"
              className="btn"
              onClick={() => void jobs.fetchNextPage()}
              disabled={jobs.isFetchingNextPage}
            >
              Load more
            </button>
          )}
        </section>
        {open && <JobPanel key={open} id={open} onClose={() => setOpen(null)} />}
      </div>
    </div>
  );
}

function JobRow({ job, selected, onOpen }: { job: Job; selected: boolean; onOpen(): void }) {
  return (
    <li
      className={`jobrow${selected ? ' jobrow--selected' : ''}`}
      data-job-id={job.id}
      data-state={job.state}
    >
      <div className="jobrow__head">
        <button
          type="button"
          className="link"
          onClick={onOpen}
          aria-label={`Details of ${job.type} job ${job.id}`}
        >
          <strong>{job.type}</strong> <code>{shortId(job.id)}</code>
        </button>
        <StateBadge job={job} />
        <span className="muted jobrow__time">{formatTime(job.createdAt)}</span>
        {job.owner && <span className="muted">{job.owner}</span>}
      </div>
      <JobProgress job={job} label={`Progress of ${job.type} job ${job.id}`} />
      {job.error && <p className="field-error">{job.error.message}</p>}
      <JobActions job={job} compact />
    </li>
  );
}
