import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { StatsOverview } from '../../api/types';
import { JOB_STATES } from '../../api/types';
import { useStats } from '../../api/queries';
import { useApi, useSession } from '../../auth/session-context';
import { keys } from '../../live/job-cache';
import { useLive } from '../../live/live-context';
import { ErrorMessage } from '../../ui/error-message';
import { formatLatency } from '../../ui/format';
import { Sparkline } from './sparkline';

const HISTORY = 60;

/** Keeps the last samples of throughput as stats arrive (socket `stats` events or polling). */
function useThroughputHistory(stats: StatsOverview | undefined) {
  const [history, setHistory] = useState<{ done: number[]; failed: number[] }>({
    done: [],
    failed: [],
  });
  const last = useRef<StatsOverview | undefined>(undefined);
  useEffect(() => {
    if (!stats || stats === last.current) return;
    last.current = stats;
    setHistory((h) => ({
      done: [...h.done, stats.throughput.completedLastMinute].slice(-HISTORY),
      failed: [...h.failed, stats.throughput.failedLastMinute].slice(-HISTORY),
    }));
  }, [stats]);
  return history;
}

export function AdminPage() {
  const { claims } = useSession();
  const api = useApi();
  const client = useQueryClient();
  const { watchStats } = useLive();
  useEffect(() => watchStats(), [watchStats]);
  const stats = useStats();
  const history = useThroughputHistory(stats.data);
  const toggle = useMutation({
    mutationFn: (pause: boolean) => api.call(pause ? 'pauseQueue' : 'resumeQueue'),
    onSettled: () => void client.invalidateQueries({ queryKey: keys.stats }),
  });
  const s = stats.data;
  return (
    <div className="page">
      <h1 className="page__title">Queue {claims?.admin ? '(whole system)' : '(your jobs)'}</h1>
      {stats.error && <ErrorMessage error={stats.error} onRetry={() => void stats.refetch()} />}
      {s && (
        <>
          <section className="card toolbar" aria-label="Queue control">
            <p className="queue-state" role="status">
              Queue is{' '}
              <strong className={s.paused ? 'state state--failed' : 'state state--completed'}>
                {s.paused ? 'paused' : 'running'}
              </strong>{' '}
              · {s.capacity.waiting} of {s.capacity.limit} waiting places used
            </p>
            {claims?.admin && (
              <div className="toolbar__end">
                <button
                  type="button"
                  className={`btn ${s.paused ? 'btn--primary' : ''}`}
                  disabled={toggle.isPending}
                  onClick={() => toggle.mutate(!s.paused)}
                >
                  {s.paused ? 'Resume queue' : 'Pause queue'}
                </button>
              </div>
            )}
          </section>
          {toggle.error && <ErrorMessage error={toggle.error} />}
          <section className="stats" aria-label="Jobs by state">
            {JOB_STATES.map((state) => (
              <div key={state} className={`stat stat--${state}`}>
                <span className="stat__value">{s.counts[state] ?? 0}</span>
                <span className="stat__label">{state}</span>
              </div>
            ))}
          </section>
          <div className="split split--open">
            <section className="card" aria-labelledby="tp-title">
              <h2 id="tp-title" className="card__title">
                Throughput
              </h2>
              <Sparkline
                title="Completed and failed jobs per minute"
                series={[
                  { label: 'completed', values: history.done, className: 'spark--ok' },
                  { label: 'failed', values: history.failed, className: 'spark--bad' },
                ]}
              />
            </section>
            <WorkersTable stats={s} />
          </div>
          <TypesTable stats={s} />
        </>
      )}
    </div>
  );
}

function WorkersTable({ stats }: { stats: StatsOverview }) {
  return (
    <section className="card" aria-labelledby="workers-title">
      <h2 id="workers-title" className="card__title">
        Workers
      </h2>
      <ul className="workers">
        {Object.entries(stats.workers).map(([type, w]) => (
          <li key={type}>
            <span>{type}</span>
            <meter
              min={0}
              max={Math.max(1, w.total)}
              value={w.busy}
              aria-label={`${type} workers busy`}
            />
            <span className="muted">
              {w.busy}/{w.total} busy
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TypesTable({ stats }: { stats: StatsOverview }) {
  const types = [
    ...new Set([...Object.keys(stats.byType), ...Object.keys(stats.durations)]),
  ].sort();
  return (
    <section className="card" aria-labelledby="types-title">
      <h2 id="types-title" className="card__title">
        By type
      </h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Type</th>
              {JOB_STATES.map((s) => (
                <th key={s} scope="col" className="num">
                  {s}
                </th>
              ))}
              <th scope="col" className="num">
                p50
              </th>
              <th scope="col" className="num">
                p95
              </th>
            </tr>
          </thead>
          <tbody>
            {types.map((t) => (
              <tr key={t}>
                <th scope="row">{t}</th>
                {JOB_STATES.map((s) => (
                  <td key={s} className="num">
                    {stats.byType[t]?.[s] ?? 0}
                  </td>
                ))}
                <td className="num">
                  {stats.durations[t] ? formatLatency(stats.durations[t].p50Ms) : '—'}
                </td>
                <td className="num">
                  {stats.durations[t] ? formatLatency(stats.durations[t].p95Ms) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
