import { useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { Job, JobProgressEvent, StatsOverview } from '../api/types';
import { useSession } from '../auth/session-context';
import { LinkStatus, LiveConnection } from './connection';
import { applyJobEvent, keys, removeJob } from './job-cache';

interface LiveValue {
  status: LinkStatus;
  detail: string;
  /** Refetch interval for queries while the live channel is down (false when live). */
  pollMs: number | false;
  watch(jobId: string): () => void;
  watchStats(): () => void;
}

const LiveContext = createContext<LiveValue | null>(null);
const noop = () => () => undefined;

/** Owns the live connection of the signed-in session and pours its events into the query cache. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { token, signOut } = useSession();
  const client = useQueryClient();
  const [status, setStatus] = useState<{ status: LinkStatus; detail: string }>({
    status: 'connecting',
    detail: 'Connecting…',
  });
  const conn = useRef<LiveConnection | null>(null);
  const [, setGeneration] = useState(0);

  useEffect(() => {
    if (!token) return;
    const connection = new LiveConnection(
      { token },
      {
        onJob: (e: Job | JobProgressEvent) => {
          applyJobEvent(client, e);
          if ('type' in e && e.type === 'thumbnail' && e.state === 'completed') {
            void client.invalidateQueries({ queryKey: keys.assets });
          }
        },
        onDeleted: (id) => removeJob(client, id),
        onStats: (s: StatsOverview) => client.setQueryData(keys.stats, s),
        onStatus: (s, detail) => setStatus({ status: s, detail }),
        onUnauthorized: () => signOut('Your session has expired. Sign in again.'),
        onResync: () => {
          void client.invalidateQueries({ queryKey: keys.jobs });
          void client.invalidateQueries({ queryKey: ['job'] });
          void client.invalidateQueries({ queryKey: keys.assets });
        },
      },
    );
    conn.current = connection;
    setGeneration((g) => g + 1);
    return () => {
      connection.close();
      conn.current = null;
    };
  }, [token, client, signOut]);

  const current = conn.current;
  // Stable per connection: a status change must not make every watcher resubscribe.
  const watchers = useMemo(
    () => ({
      watch: current ? (id: string) => current.watch(id) : noop,
      watchStats: current ? () => current.watchStats() : noop,
    }),
    [current],
  );
  const value = useMemo<LiveValue>(
    () => ({ ...status, pollMs: status.status === 'live' ? false : 3000, ...watchers }),
    [status, watchers],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error('useLive outside LiveProvider');
  return value;
}

/** Follows these jobs live while the component is mounted; only changes in the set (re)subscribe. */
export function useWatchJobs(ids: readonly string[]): void {
  const { watch } = useLive();
  const stops = useRef(new Map<string, () => void>());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const wanted = new Set(key ? key.split(',') : []);
    for (const [id, stop] of stops.current) {
      if (!wanted.has(id)) {
        stop();
        stops.current.delete(id);
      }
    }
    for (const id of wanted) if (!stops.current.has(id)) stops.current.set(id, watch(id));
  }, [key, watch]);
  useEffect(() => {
    const current = stops.current;
    return () => {
      current.forEach((stop) => stop());
      current.clear();
    };
  }, [watch]);
}
