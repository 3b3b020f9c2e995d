import { Model, Mongoose } from 'mongoose';
import { makeRecord } from '../../../../test/contracts/job-store.contract';
import { JobRecord, JobState } from '../../../core/jobs/job.model';
import {
  cancelPatch,
  claimPatch,
  finishPatch,
  recoverPatch,
} from '../../../core/jobs/job-transitions';
import { JOB_PURGE_MARGIN_MS, JobChangeDocument, JobDocument, JobSchema } from './job.schema';
import {
  appendedItems,
  cancelFilter,
  CLAIM_SORT,
  claimFilter,
  claimPipeline,
  contiguousChanges,
  expiredLeasesFilter,
  finishFilter,
  fromJobDocument,
  jobListFilter,
  patchUpdate,
  progressUpdate,
  recoverFilter,
  reserveFilter,
  toJobDocument,
  unchangedFilter,
} from './mongo-job-queries';

const NOW = 1_700_000_000_000;
const by = { node: 'n1', now: NOW };
const TOKEN = '00000000-0000-4000-8000-000000000001';

/** A record as a claim left it: running under lease TOKEN. */
function runningRecord(over: Partial<JobRecord> = {}): JobRecord {
  const queued = makeRecord({ id: 'j1', seq: 5, ...over });
  return { ...queued, ...claimPatch(queued, { ...by, leaseMs: 1000 }, TOKEN), ...over };
}

describe('job queries', () => {
  describe('claim', () => {
    it('should take queued jobs of the type that are due, by priority, fair rank, age', () => {
      expect(claimFilter('render', NOW)).toEqual({
        state: 'queued',
        type: 'render',
        runAfter: { $lte: NOW },
      });
      expect(CLAIM_SORT).toEqual({ priority: -1, fairRank: 1, createdAt: 1 });
    });

    it('should compute claimPatch inside one update pipeline, strings as literals', () => {
      const attempt = { $add: ['$attempt', 1] };
      expect(claimPipeline({ ...by, leaseMs: 1000 }, TOKEN)).toEqual([
        {
          $set: {
            state: { $literal: 'running' },
            leaseToken: { $literal: TOKEN },
            leaseExpiresAt: NOW + 1000,
            attempt,
            run: { $add: ['$run', 1] },
            startedAt: NOW,
            updatedAt: NOW,
            progress: 0,
            stage: { $literal: 'starting' },
            message: { $literal: '' },
            node: { $literal: 'n1' },
            seq: { $max: [{ $add: ['$seq', 1] }, NOW * 1000] },
            messages: {
              $slice: [
                {
                  $concatArrays: [
                    '$messages',
                    [
                      {
                        at: NOW,
                        text: { $concat: ['attempt ', { $toString: attempt }, ' started'] },
                      },
                    ],
                  ],
                },
                -50,
              ],
            },
            history: {
              $slice: [
                {
                  $concatArrays: [
                    '$history',
                    [
                      {
                        at: NOW,
                        event: { $literal: 'claimed' },
                        attempt,
                        node: { $literal: 'n1' },
                      },
                    ],
                  ],
                },
                -100,
              ],
            },
          },
        },
      ]);
    });

    it('should set every field claimPatch sets (and nothing else)', () => {
      const patch = claimPatch(makeRecord(), { ...by, leaseMs: 1000 }, TOKEN);
      const [stage] = claimPipeline({ ...by, leaseMs: 1000 }, TOKEN) as { $set: object }[];
      expect(Object.keys(stage.$set).sort()).toEqual(Object.keys(patch).sort());
    });
  });

  describe(patchUpdate.name, () => {
    it('should $set fields, $max seq and $push the appended log line and history entry', () => {
      const row = runningRecord();
      const patch = finishPatch(row, { kind: 'completed', result: null }, by, 60_000);
      const update = patchUpdate(row, patch);
      expect(update.$max).toEqual({ seq: patch.seq });
      expect(update.$push).toEqual({
        messages: { $each: [patch.messages!.at(-1)], $slice: -50 },
        history: { $each: [patch.history!.at(-1)], $slice: -100 },
      });
      expect(update.$set).toEqual({
        progress: 100,
        stage: 'done',
        message: '',
        state: JobState.completed,
        leaseToken: null,
        leaseExpiresAt: null,
        updatedAt: NOW,
        finishedAt: NOW,
        expiresAt: NOW + 60_000,
        purgeAt: new Date(NOW + 60_000 + JOB_PURGE_MARGIN_MS),
        result: null,
      });
    });

    it('should $set the log when the runner replaced it, and the fair rank of a requeue', () => {
      const row = runningRecord();
      const log = [{ at: 1, text: 'runner log' }];
      const patch = { ...recoverPatch(row, by, 60_000), messages: log };
      const update = patchUpdate(row, patch, 3);
      expect(update.$set).toMatchObject({ messages: log, fairRank: 3, state: JobState.queued });
      expect(update.$set).toMatchObject({ expiresAt: null, purgeAt: null, stalls: 1 });
      expect(Object.keys(update.$push as object)).toEqual(['history']);
    });

    it('should set only the flag, the time and seq for a cancel of a running job', () => {
      const row = runningRecord();
      const patch = cancelPatch(row, by, 60_000)!;
      expect(patchUpdate(row, patch)).toEqual({
        $set: { cancelRequested: true, updatedAt: NOW },
        $max: { seq: patch.seq },
      });
    });

    it('should leave out an empty $set (older servers refuse it)', () => {
      const row = runningRecord();
      expect(patchUpdate(row, { seq: row.seq + 1 })).toEqual({ $max: { seq: row.seq + 1 } });
    });
  });

  describe(appendedItems.name, () => {
    it('should find the items added at the end, also after a trim from the front', () => {
      expect(appendedItems([1, 2], [1, 2, 3], 5)).toEqual([3]);
      expect(appendedItems([1, 2, 3], [2, 3, 4], 3)).toEqual([4]);
      expect(appendedItems([1, 2, 3], [3, 4, 5], 3)).toEqual([4, 5]);
      expect(appendedItems([], [{ a: 1 }], 5)).toEqual([{ a: 1 }]);
      expect(appendedItems([1, 2], [1, 2], 5)).toEqual([]);
    });

    it('should answer null when $push and $slice would not give the new list', () => {
      expect(appendedItems([1, 2], [7, 8], 5)).toBeNull();
      expect(appendedItems([1, 2], [], 5)).toBeNull();
      expect(appendedItems([1, 2, 3], [3, 4], 5)).toBeNull();
    });
  });

  describe('guards', () => {
    it('should fence a finish by state, token and the cancel flag as read', () => {
      const row = runningRecord({ cancelRequested: true });
      expect(finishFilter(row)).toEqual({
        _id: 'j1',
        state: 'running',
        leaseToken: TOKEN,
        cancelRequested: true,
      });
    });

    it('should put the expiry inside the recovery condition', () => {
      expect(expiredLeasesFilter(NOW)).toEqual({ state: 'running', leaseExpiresAt: { $lt: NOW } });
      expect(recoverFilter(runningRecord(), NOW)).toEqual({
        _id: 'j1',
        state: 'running',
        leaseToken: TOKEN,
        leaseExpiresAt: { $lt: NOW },
        cancelRequested: false,
      });
    });

    it('should cancel a running job once, and anything else only unchanged since the read', () => {
      const row = runningRecord();
      expect(cancelFilter(row)).toEqual({ _id: 'j1', state: 'running', cancelRequested: false });
      const queued = makeRecord({ id: 'q1', seq: 9 });
      const unchanged = { _id: 'q1', state: 'queued', seq: 9, cancelRequested: false };
      expect(cancelFilter(queued)).toEqual(unchanged);
      expect(unchangedFilter(queued)).toEqual(unchanged);
    });

    it('should take a waiting-room slot only below the limit', () => {
      expect(reserveFilter('waiting:alice', 5)).toEqual({ _id: 'waiting:alice', n: { $lt: 5 } });
    });
  });

  it('should write progress as $set with seq only upwards', () => {
    const messages = [{ at: 1, text: 'x' }];
    const p = { progress: 5, stage: 's', message: 'm', messages, seq: 42, updatedAt: 7 };
    expect(progressUpdate(p)).toEqual({
      $set: { progress: 5, stage: 's', message: 'm', messages, updatedAt: 7 },
      $max: { seq: 42 },
    });
  });

  it('should filter a list page and start strictly after the cursor', () => {
    const query = { owner: 'a', state: JobState.failed, type: 't', limit: 5 };
    expect(jobListFilter({ ...query, cursor: { createdAt: 9, id: 'z' } })).toEqual({
      owner: 'a',
      state: 'failed',
      type: 't',
      $or: [{ createdAt: { $lt: 9 } }, { createdAt: 9, _id: { $lt: 'z' } }],
    });
    expect(jobListFilter({ limit: 5 })).toEqual({});
  });

  describe(contiguousChanges.name, () => {
    const change = (position: number, agoMs: number): JobChangeDocument => ({
      _id: position,
      jobId: `j${position}`,
      owner: 'o',
      node: 'n',
      kind: 'state',
      at: 0,
      writtenAt: new Date(NOW - agoMs),
    });

    it('should stop at a fresh gap (an earlier position not written yet)', () => {
      const docs = [change(4, 0), change(5, 0), change(7, 0)];
      expect(contiguousChanges(3, docs, NOW, 2000).map((c) => c.position)).toEqual([4, 5]);
      expect(contiguousChanges(5, [change(7, 0)], NOW, 2000)).toEqual([]);
    });

    it('should pass a gap that stayed open longer than the grace', () => {
      const docs = [change(4, 5000), change(7, 2500), change(9, 10)];
      expect(contiguousChanges(1, docs, NOW, 2000).map((c) => c.position)).toEqual([4, 7]);
      expect(contiguousChanges(3, [change(4, 0)], NOW, 2000)[0]).toEqual({
        position: 4,
        jobId: 'j4',
        owner: 'o',
        node: 'n',
        kind: 'state',
      });
    });
  });

  describe('documents', () => {
    const model = () => new Mongoose().model<JobDocument>(JobDocument.name, JobSchema);

    it('should store the id as _id and round-trip every field', async () => {
      const record = runningRecord({ payload: { a: [1] }, idempotencyKey: 'k' });
      const doc = toJobDocument(record, 2);
      expect(doc).toMatchObject({ _id: 'j1', fairRank: 2, purgeAt: null, leaseToken: TOKEN });
      expect(fromJobDocument(doc)).toEqual(record);
      await expect(new (model())(doc).validate()).resolves.toBeUndefined();
    });

    it('should cast filters and updates against the schema unchanged', () => {
      const m: Model<JobDocument> = model();
      const filter = recoverFilter(runningRecord(), NOW);
      expect(m.find(filter).cast(m)).toEqual(filter);
      const row = runningRecord();
      const update = patchUpdate(row, finishPatch(row, { kind: 'released' }, by, 0), 4);
      const query = m.findOneAndUpdate(finishFilter(row), update) as unknown as {
        _castUpdate(u: object): object;
      };
      expect(query._castUpdate(structuredClone(update))).toEqual(update);
    });

    it('should index each query', () => {
      const indexes = JobSchema.indexes().map(([keys, options]) => [options.name, keys]);
      expect(Object.fromEntries(indexes)).toEqual({
        claim: { type: 1, state: 1, priority: -1, fairRank: 1, createdAt: 1 },
        leases: { state: 1, leaseExpiresAt: 1 },
        owner_createdAt_id: { owner: 1, createdAt: -1, _id: -1 },
        createdAt_id: { createdAt: -1, _id: -1 },
        idempotency: { owner: 1, idempotencyKey: 1 },
        node: { node: 1, state: 1 },
        expires: { expiresAt: 1 },
        purge_ttl: { purgeAt: 1 },
      });
      const ttl = JobSchema.indexes().find(([, o]) => o.name === 'purge_ttl')![1];
      expect(ttl.expireAfterSeconds).toBe(0);
    });
  });
});
