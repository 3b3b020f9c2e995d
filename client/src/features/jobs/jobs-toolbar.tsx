import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Job } from '../../api/types';
import { JOB_STATES, JOB_TYPES } from '../../api/types';
import { useApi } from '../../auth/session-context';
import { keys } from '../../live/job-cache';
import { ErrorMessage } from '../../ui/error-message';
import { isFinished } from './job-bits';

export interface JobsView {
  state: string;
  type: string;
  search: string;
  all: boolean;
}

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

/** Retry every failed job or delete every finished one of the loaded list. */
function useBulk() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ ids, op }: { ids: string[]; op: 'retryJob' | 'deleteJob' }) => {
      const errors = await each(ids, (id) => api.call(op, { params: { id } }));
      if (errors.length) throw errors[0];
    },
    onSettled: () => void client.invalidateQueries({ queryKey: keys.jobs }),
  });
}

interface Props {
  view: JobsView;
  setView(view: JobsView): void;
  items: Job[];
  admin: boolean;
  onSearch(): void;
}

/** Filters by state and type, search by id, bulk retry and bulk delete. */
export function JobsToolbar({ view, setView, items, admin, onSearch }: Props) {
  const bulk = useBulk();
  const failed = items.filter((j) => j.state === 'failed');
  const finished = items.filter(isFinished);
  const set = (patch: Partial<JobsView>) => setView({ ...view, ...patch });
  return (
    <>
      <section className="card toolbar" aria-label="Filters and bulk actions">
        <label>
          State
          <select value={view.state} onChange={(e) => set({ state: e.target.value })}>
            <option value="">all</option>
            {JOB_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select value={view.type} onChange={(e) => set({ type: e.target.value })}>
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
            onSearch();
          }}
        >
          <label>
            Job id
            <input
              type="search"
              value={view.search}
              onChange={(e) => set({ search: e.target.value })}
              placeholder="search by id"
            />
          </label>
        </form>
        {admin && (
          <label className="check">
            <input
              type="checkbox"
              checked={view.all}
              onChange={(e) => set({ all: e.target.checked })}
            />{' '}
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
    </>
  );
}
