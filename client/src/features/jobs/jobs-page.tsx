import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Job } from '../../api/types';
import { JOB_STATES, JOB_TYPES } from '../../api/types';
import { useJobs } from '../../api/queries';
import { useApi, useSession } from '../../auth/session-context';
import { keys } from '../../live/job-cache';
import { ErrorMessage } from '../../ui/error-message';
import { formatTime, shortId } from '../../ui/format';
import { isFinished, JobActions, JobProgress, StateBadge } from './job-bits';
import { JobPanel } from './job-panel';

/** Runs `fn` over ids two at a time; resolves with the failures. */
async function each(ids: string[], fn: (id: string) => Promise<unknown>): Promise<unknown[]> {
  const errors: unknown[] = [];
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift())
      await fn(id).catch((e: unknown) => errors.push(e));
  };
  await Promise.all([worker(), worker()]);
  return errors;
}

export function JobsPage() {
  const { claims } = useSession();
  const api = useApi();
  const client = useQueryClient();
  const [state, setState] = useState('');
  const [type, setType] = useState('');
  const [search, setSearch] = useState('');
  const [all, setAll] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const jobs = useJobs({ state: state || undefined, type: type || undefined }, all);
  const items = useMemo(() => jobs.data?.pages.flatMap((p) => p.items) ?? [], [jobs.data]);
  const needle = search.trim().toLowerCase();
  const shown = needle ? items.filter((j) => j.id.toLowerCase().includes(needle)) : items;
  const failed = items.filter((j) => j.state === 'failed');
  const finished = items.filter(isFinished);
  const bulk = useMutation({
    mutationFn: async ({ ids, op }: { ids: string[]; op: 'retryJob' | 'deleteJob' }) => {
      const errors = await each(ids, (id) => api.call(op, { params: { id } }));
      if (errors.length) throw errors[0];
    },
    onSettled: () => void client.invalidateQueries({ queryKey: keys.jobs }),
  });
  const openSearch = () => needle && setOpen(shown.length === 1 ? shown[0].id : search.trim());

  return (
    <div className="page">
      <h1 className="page__title">Jobs</h1>
      <section className="card toolbar" aria-label="Filters and bulk actions">
        <label>
          State
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">all</option>
            {JOB_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">all</option>
            {JOB_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            openSearch();
          }}
        >
          <label>
            Job id
            <input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="search by id"
            />
          </label>
        </form>
        {claims?.admin && (
          <label className="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />{' '}
            everyone's jobs
          </label>
        )}
        <div className="toolbar__end">
          <button
            type="button"
            className="btn"
            disabled={!failed.length || bulk.isPending}
            onClick={() => bulk.mutate({ ids: failed.map((j) => j.id), op: 'retryJob' })}
          >
            Retry {failed.length} failed
          </button>
          <button
            type="button"
            className="btn"
            disabled={!finished.length || bulk.isPending}
            onClick={() => bulk.mutate({ ids: finished.map((j) => j.id), op: 'deleteJob' })}
          >
            Delete {finished.length} finished
          </button>
        </div>
      </section>
      {bulk.error && <ErrorMessage error={bulk.error} />}
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
