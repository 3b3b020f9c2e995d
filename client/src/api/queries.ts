import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../auth/session-context';
import { JobFilters, keys, reconcile } from '../live/job-cache';
import { useLive } from '../live/live-context';
import type {
  Accepted,
  Asset,
  AssetHistogram,
  FitsHeader,
  Job,
  JobDetail,
  Page,
  StatsOverview,
} from './types';

export function useAssets() {
  const api = useApi();
  const { pollMs } = useLive();
  return useInfiniteQuery({
    queryKey: keys.assets,
    queryFn: ({ pageParam }) =>
      api.call<Page<Asset>>('listAssets', { query: { limit: 60, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Thumbnails appear by events; while some are pending and we are not live, poll.
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((a) => !a.thumbnailUrl)) ? pollMs : false,
  });
}

export function useAssetHeader(asset: Asset | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['asset-header', asset?.id],
    queryFn: () => api.call<FitsHeader>('assetHeader', { params: { id: asset!.id } }),
    enabled: asset?.format === 'fits',
    retry: false,
  });
}

/** An asset's histogram: assets never change, so it is fetched once per bin count. */
export function useAssetHistogram(assetId: string | null, bins = 128) {
  const api = useApi();
  return useQuery({
    queryKey: ['asset-histogram', assetId, bins],
    queryFn: () =>
      api.call<AssetHistogram>('assetHistogram', {
        params: { id: assetId! },
        query: { bins },
      }),
    enabled: assetId !== null,
    staleTime: Infinity,
    retry: false,
  });
}

export function useJobs(filters: JobFilters, all = false) {
  const api = useApi();
  const client = useQueryClient();
  const { pollMs } = useLive();
  return useInfiniteQuery({
    queryKey: [...keys.jobList(filters), all],
    queryFn: async ({ pageParam }) => {
      const page = await api.call<Page<Job>>('listJobs', {
        query: { ...filters, limit: 50, cursor: pageParam, all: all || undefined },
      });
      return { ...page, items: reconcile(client, page.items) };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: pollMs,
  });
}

export function useJob(id: string | null) {
  const api = useApi();
  const client = useQueryClient();
  const { pollMs } = useLive();
  return useQuery({
    queryKey: keys.job(id ?? ''),
    queryFn: async () =>
      reconcile(client, [await api.call<JobDetail>('getJob', { params: { id: id! } })])[0],
    enabled: !!id,
    refetchInterval: (q) =>
      q.state.data && ['completed', 'failed', 'cancelled'].includes(q.state.data.state)
        ? false
        : pollMs,
    retry: (n, err) => (err as { status?: number }).status !== 404 && n < 2,
  });
}

export function useStats() {
  const api = useApi();
  const { pollMs } = useLive();
  return useQuery({
    queryKey: keys.stats,
    queryFn: () => api.call<StatsOverview>('stats'),
    refetchInterval: pollMs,
  });
}

/** Cancel, retry, delete of one job; lists follow by events (and by a refetch for safety). */
export function useJobActions() {
  const api = useApi();
  const client = useQueryClient();
  const settle = (id: string) => {
    void client.invalidateQueries({ queryKey: keys.job(id) });
    void client.invalidateQueries({ queryKey: keys.jobs });
  };
  const action = (name: 'cancelJob' | 'retryJob' | 'deleteJob') =>
    useMutation({
      mutationFn: (id: string) => api.call<Job | string>(name, { params: { id } }),
      onSettled: (_d, _e, id) => settle(id),
    });
  return { cancel: action('cancelJob'), retry: action('retryJob'), remove: action('deleteJob') };
}

export function useSubmit<B>(
  name: 'compositeExport' | 'mosaicExport' | 'mosaicSave' | 'diagnosticJob',
) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api.call<Accepted>(name, { body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.jobs }),
  });
}
