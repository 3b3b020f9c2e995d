import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Job, JobDetail, JobProgressEvent, Page } from '../api/types';

/** Query keys: one place for every cached server state the live layer touches. */
export const keys = {
  jobs: ['jobs'] as const,
  jobList: (filters: JobFilters) => ['jobs', 'list', filters] as const,
  job: (id: string) => ['job', id] as const,
  /** A job's newest event, kept while no list or detail holds the job yet. */
  jobEvent: (id: string) => ['job-event', id] as const,
  assets: ['assets'] as const,
  stats: ['stats'] as const,
};

export interface JobFilters {
  state?: string;
  type?: string;
}

type JobPages = InfiniteData<Page<Job>, string | undefined>;

/**
 * Applies an event to a cached job unless it is stale: the contract says a client ignores an
 * event whose `seq` is at or below the last it saw.
 */
export function mergeJob<T extends Job>(current: T, update: Partial<Job> & { seq: number }): T {
  if (update.seq <= current.seq) return current;
  return { ...current, ...update };
}

export function progressToPatch(e: JobProgressEvent): Partial<Job> & { seq: number } {
  const { state, progress, stage, message, seq, updatedAt } = e;
  return { id: e.jobId, state, progress, stage, message, seq, updatedAt };
}

function matches(job: Job, filters: JobFilters): boolean {
  return (
    (!filters.state || job.state === filters.state) && (!filters.type || job.type === filters.type)
  );
}

/** Updates one job in every cached list; a full snapshot of an unknown job goes on top of the lists it matches. */
export function applyToLists(
  client: QueryClient,
  jobId: string,
  patch: Partial<Job> & { seq: number },
  full?: Job,
): void {
  const lists = client.getQueriesData<JobPages>({ queryKey: ['jobs', 'list'] });
  for (const [key, data] of lists) {
    if (!data) continue;
    const filters = (key[2] ?? {}) as JobFilters;
    let found = false;
    const pages = data.pages.map((page) => ({
      ...page,
      items: page.items.map((job) => {
        if (job.id !== jobId) return job;
        found = true;
        return mergeJob(job, patch);
      }),
    }));
    if (!found && full && matches(full, filters) && pages.length > 0) {
      pages[0] = { ...pages[0], items: [full, ...pages[0].items] };
    }
    client.setQueryData<JobPages>(key, { ...data, pages });
  }
}

/** Applies an update to the job's detail query, when cached. */
export function applyToDetail(
  client: QueryClient,
  jobId: string,
  patch: Partial<Job> & { seq: number },
): void {
  client.setQueryData<JobDetail>(keys.job(jobId), (current) =>
    current ? mergeJob(current, patch) : current,
  );
}

type Patch = Partial<Job> & { seq: number };

/**
 * Keeps the newest event of each job even when no query holds the job yet: an event that
 * arrives while the job's first fetch is in flight (a quick job can end then) must not be lost.
 * It lives in the query cache like the rest (no observer: collected after the cache's gcTime).
 */
function remember(client: QueryClient, jobId: string, patch: Patch): void {
  client.setQueryData<Patch>(keys.jobEvent(jobId), (known) =>
    known && known.seq >= patch.seq ? known : { ...known, ...patch },
  );
}

/** Applies a job event (full snapshot or progress) everywhere it is cached. */
export function applyJobEvent(client: QueryClient, event: Job | JobProgressEvent): void {
  if ('jobId' in event) {
    const patch = progressToPatch(event);
    remember(client, event.jobId, patch);
    applyToLists(client, event.jobId, patch);
    applyToDetail(client, event.jobId, patch);
    return;
  }
  remember(client, event.id, event);
  applyToLists(client, event.id, event, event);
  applyToDetail(client, event.id, event);
}

/** `job:deleted`: drops the job from lists and detail. */
export function removeJob(client: QueryClient, jobId: string): void {
  const lists = client.getQueriesData<JobPages>({ queryKey: ['jobs', 'list'] });
  for (const [key, data] of lists) {
    if (!data) continue;
    const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((j) => j.id !== jobId) }));
    client.setQueryData<JobPages>(key, { ...data, pages });
  }
  client.removeQueries({ queryKey: keys.job(jobId) });
  client.removeQueries({ queryKey: keys.jobEvent(jobId) });
}

/** Every cached version of every job and every remembered event, newest (highest seq) per id. */
function newestCached(client: QueryClient): Map<string, Patch> {
  const newest = new Map<string, Patch>();
  const offer = (job: Patch & { id: string }) => {
    const known = newest.get(job.id);
    if (!known || job.seq > known.seq) newest.set(job.id, job);
  };
  for (const [key, patch] of client.getQueriesData<Patch>({ queryKey: ['job-event'] })) {
    if (patch) offer({ ...patch, id: key[1] as string });
  }
  for (const [, data] of client.getQueriesData<JobPages>({ queryKey: ['jobs', 'list'] })) {
    data?.pages.forEach((page) => page.items.forEach(offer));
  }
  for (const [, job] of client.getQueriesData<JobDetail>({ queryKey: ['job'] })) {
    if (job) offer(job);
  }
  return newest;
}

/**
 * A fetch that started before an event may answer after it: keep, per job, whichever of the
 * fetched, the cached and the remembered versions has the higher seq, so that a fetch never
 * undoes an end.
 */
export function reconcile<T extends Job>(client: QueryClient, fetched: T[]): T[] {
  const newest = newestCached(client);
  return fetched.map((job) => {
    const cached = newest.get(job.id);
    return cached && cached.seq > job.seq ? ({ ...job, ...cached } as T) : job;
  });
}
