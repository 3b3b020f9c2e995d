import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Job } from '../api/types';
import { applyJobEvent, keys, mergeJob, reconcile, removeJob } from './job-cache';

const job = (over: Partial<Job> = {}): Job => ({
  id: 'j1',
  type: 'diagnostic',
  state: 'running',
  progress: 10,
  stage: 'run',
  message: '',
  seq: 5,
  attempt: 1,
  maxAttempts: 3,
  priority: 0,
  cancelRequested: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

const listData = (items: Job[]) => ({
  pages: [{ items, nextCursor: null }],
  pageParams: [undefined],
});

describe('mergeJob', () => {
  it('should apply an event with a higher seq', () => {
    expect(mergeJob(job(), { seq: 6, progress: 50 }).progress).toBe(50);
  });
  it('should ignore an event at or below the last seq', () => {
    expect(mergeJob(job(), { seq: 5, progress: 50 }).progress).toBe(10);
    expect(mergeJob(job(), { seq: 2, state: 'queued' }).state).toBe('running');
  });
});

describe('applyJobEvent', () => {
  it('should patch lists and detail with progress events', () => {
    const client = new QueryClient();
    client.setQueryData(keys.jobList({}), listData([job()]));
    client.setQueryData(keys.job('j1'), job());
    applyJobEvent(client, {
      jobId: 'j1',
      state: 'running',
      progress: 70,
      stage: 's',
      message: 'm',
      seq: 9,
      updatedAt: 'x',
    });
    expect(client.getQueryData<any>(keys.jobList({})).pages[0].items[0].progress).toBe(70);
    expect(client.getQueryData<Job>(keys.job('j1'))!.progress).toBe(70);
  });
  it('should add an unknown job only to the lists whose filters it matches', () => {
    const client = new QueryClient();
    client.setQueryData(keys.jobList({}), listData([]));
    client.setQueryData(keys.jobList({ state: 'failed' }), listData([]));
    applyJobEvent(client, job({ id: 'j2', state: 'queued', seq: 1 }));
    expect(client.getQueryData<any>(keys.jobList({})).pages[0].items).toHaveLength(1);
    expect(client.getQueryData<any>(keys.jobList({ state: 'failed' })).pages[0].items).toHaveLength(
      0,
    );
  });
  it('should not let a late progress event undo a terminal state', () => {
    const client = new QueryClient();
    client.setQueryData(
      keys.jobList({}),
      listData([job({ state: 'completed', progress: 100, seq: 12 })]),
    );
    applyJobEvent(client, {
      jobId: 'j1',
      state: 'running',
      progress: 90,
      stage: '',
      message: '',
      seq: 11,
      updatedAt: '',
    });
    expect(client.getQueryData<any>(keys.jobList({})).pages[0].items[0].state).toBe('completed');
  });
});

describe('removeJob', () => {
  it('should drop the job from lists and detail', () => {
    const client = new QueryClient();
    client.setQueryData(keys.jobList({}), listData([job(), job({ id: 'j3' })]));
    client.setQueryData(keys.job('j1'), job());
    removeJob(client, 'j1');
    expect(client.getQueryData<any>(keys.jobList({})).pages[0].items.map((j: Job) => j.id)).toEqual(
      ['j3'],
    );
    expect(client.getQueryData(keys.job('j1'))).toBeUndefined();
  });
});

describe('reconcile', () => {
  it('should keep a newer cached version over an older fetched one', () => {
    const client = new QueryClient();
    client.setQueryData(keys.jobList({}), listData([job({ state: 'cancelled', seq: 9 })]));
    const [kept] = reconcile(client, [job({ state: 'running', seq: 7 })]);
    expect([kept.state, kept.seq]).toEqual(['cancelled', 9]);
  });
  it('should take the fetched version when it is newer or unknown', () => {
    const client = new QueryClient();
    client.setQueryData(keys.job('j1'), job({ seq: 3 }));
    expect(reconcile(client, [job({ seq: 4, progress: 80 })])[0].progress).toBe(80);
    expect(reconcile(client, [job({ id: 'other', seq: 1 })])[0].id).toBe('other');
  });
  it('should apply an event that arrived while the first fetch was in flight', () => {
    const client = new QueryClient();
    // The subscription's snapshot and the job's end arrive before the detail is cached…
    applyJobEvent(client, job({ state: 'queued', progress: 0, seq: 6 }));
    applyJobEvent(client, {
      jobId: 'j1',
      state: 'completed',
      progress: 100,
      stage: 'done',
      message: '',
      seq: 8,
      updatedAt: '2026-01-01T00:00:01Z',
    });
    // …then the fetch answers with what it read before the job ran.
    const [seen] = reconcile(client, [job({ state: 'queued', progress: 0, seq: 5 })]);
    expect([seen.state, seen.progress, seen.seq]).toEqual(['completed', 100, 8]);
  });
  it('should forget a deleted job', () => {
    const client = new QueryClient();
    applyJobEvent(client, job({ state: 'completed', seq: 9 }));
    removeJob(client, 'j1');
    expect(reconcile(client, [job({ seq: 5 })])[0].seq).toBe(5);
  });
});
