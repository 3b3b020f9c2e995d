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
  const value = useMemo<LiveValue>(
    () => ({
      ...status,
      pollMs: status.status === 'live' ? false : 3000,
      watch: current ? (id) => current.watch(id) : noop,
      watchStats: current ? () => current.watchStats() : noop,
    }),
    [status, current],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error('useLive outside LiveProvider');
  return value;
}

/** Follows these jobs live while the component is mounted. */
export function useWatchJobs(ids: readonly string[]): void {
  const { watch } = useLive();
  const key = [...ids].sort().join(',');
  useEffect(() => {
    const stops = key ? key.split(',').map((id) => watch(id)) : [];
    return () => stops.forEach((stop) => stop());
  }, [key, watch]);
}
