import type { QueryFilter, SortOrder, UpdateQuery, UpdateWithAggregationPipeline } from 'mongoose';
import { isDeepStrictEqual } from 'node:util';
import {
  JOB_RECORD_FIELDS,
  JobRecord,
  JobState,
  MAX_HISTORY,
  MAX_LOG_LINES,
} from '../../../core/jobs/job.model';
import type {
  ClaimRequest,
  JobChange,
  JobListQuery,
  ProgressSnapshot,
} from '../../../core/jobs/job-store.port';
import type { JobPatch } from '../../../core/jobs/job-transitions';
import { JOB_PURGE_MARGIN_MS, JobChangeDocument, JobDocument } from './job.schema';

export type JobFilter = QueryFilter<JobDocument>;
export type JobUpdate = UpdateQuery<JobDocument>;

/** The stored document of a record: `id` becomes `_id`, plus the store's own fields. */
export function toJobDocument(record: JobRecord, fairRank: number): JobDocument {
  const { id, ...rest } = record;
  return { _id: id, ...rest, fairRank, purgeAt: purgeAt(record.expiresAt) };
}

/** The record of a stored document (a lean read); the store's own fields are dropped. */
export function fromJobDocument(doc: JobDocument): JobRecord {
  const record: Record<string, unknown> = { id: doc._id };
  for (const key of RECORD_FIELDS) record[key] = doc[key] ?? null;
  record.messages = doc.messages ?? [];
  record.history = doc.history ?? [];
  return record as unknown as JobRecord;
}

/** Every field of a JobRecord but `id` (a missing one reads as null). */
const RECORD_FIELDS = JOB_RECORD_FIELDS.filter(
  (field): field is Exclude<(typeof JOB_RECORD_FIELDS)[number], 'id'> => field !== 'id',
);

/** When the TTL index may drop a finished job the reaper missed. */
export function purgeAt(expiresAt: number | null): Date | null {
  return expiresAt === null ? null : new Date(expiresAt + JOB_PURGE_MARGIN_MS);
}

/** Queued jobs of `type` whose time has come (the `claim` index). */
export function claimFilter(type: string, now: number): JobFilter {
  return { state: JobState.queued, type, runAfter: { $lte: now } };
}

/** Priority first, then fairly across owners, then age. */
export const CLAIM_SORT: Record<string, SortOrder> = { priority: -1, fairRank: 1, createdAt: 1 };

const literal = (value: unknown) => ({ $literal: value });

/**
 * The claim as one update pipeline, computed from the row inside the store (claimPatch's
 * transition: attempt + 1, a fresh lease, seq raised, a log line and a `claimed` history entry;
 * the cancel flag untouched). Strings are `$literal` so that no value is read as a field path.
 */
export function claimPipeline(req: ClaimRequest, token: string): UpdateWithAggregationPipeline {
  const attempt = { $add: ['$attempt', 1] };
  const line = {
    at: req.now,
    text: { $concat: ['attempt ', { $toString: attempt }, ' started'] },
  };
  const claimed = { at: req.now, event: literal('claimed'), attempt, node: literal(req.node) };
  return [
    {
      $set: {
        state: literal(JobState.running),
        leaseToken: literal(token),
        leaseExpiresAt: req.now + req.leaseMs,
        attempt,
        run: { $add: ['$run', 1] },
        startedAt: req.now,
        updatedAt: req.now,
        progress: 0,
        stage: literal('starting'),
        message: literal(''),
        node: literal(req.node),
        seq: { $max: [{ $add: ['$seq', 1] }, req.now * 1000] },
        messages: { $slice: [{ $concatArrays: ['$messages', [line]] }, -MAX_LOG_LINES] },
        history: { $slice: [{ $concatArrays: ['$history', [claimed]] }, -MAX_HISTORY] },
      },
    },
  ];
}

/**
 * The items `after` adds at the end of `before`, when `after` is exactly what `$push` with
 * `$slice: -max` of them makes of `before`; else null (then the whole list is set).
 */
export function appendedItems<T>(
  before: readonly T[],
  after: readonly T[],
  max: number,
): T[] | null {
  for (let added = 0; added <= after.length; added++) {
    const kept = after.length - added;
    if (after.length !== Math.min(before.length + added, max) || kept > before.length) continue;
    if (isDeepStrictEqual(after.slice(0, kept), before.slice(before.length - kept))) {
      return after.slice(kept);
    }
  }
  return null;
}

/**
 * The update of a transition's patch against the row it was computed from: fields as `$set`,
 * seq as `$max` (never back), appended log lines and history entries as `$push` with `$slice`
 * (never a whole-document replace). `fairRank` is set when the job (re)enters the queue.
 */
export function patchUpdate(current: JobRecord, patch: JobPatch, fairRank?: number): JobUpdate {
  const $set: Record<string, unknown> = {};
  const $push: Record<string, unknown> = {};
  const lists = { messages: MAX_LOG_LINES, history: MAX_HISTORY } as const;
  for (const [key, value] of Object.entries(patch) as [keyof JobPatch, unknown][]) {
    if (value === undefined || key === 'seq') continue;
    if (key === 'messages' || key === 'history') {
      const added = appendedItems<unknown>(current[key], value as unknown[], lists[key]);
      if (added && added.length > 0) $push[key] = { $each: added, $slice: -lists[key] };
      else if (!added) $set[key] = value;
      continue;
    }
    $set[key] = value;
    if (key === 'expiresAt') $set.purgeAt = purgeAt(value as number | null);
  }
  if (fairRank !== undefined) $set.fairRank = fairRank;
  const update: JobUpdate = {};
  if (Object.keys($set).length > 0) update.$set = $set;
  if (Object.keys($push).length > 0) update.$push = $push;
  if (patch.seq !== undefined) update.$max = { seq: patch.seq };
  return update;
}

/** A running job still held with `token`. */
export function heldFilter(id: string, token: string): JobFilter {
  return { _id: id, state: JobState.running, leaseToken: token };
}

/** finishAttempt's guard: still held, and the cancel flag as the patch was decided from it. */
export function finishFilter(row: JobRecord): JobFilter {
  return { ...heldFilter(row.id, row.leaseToken ?? ''), cancelRequested: row.cancelRequested };
}

/** requestCancel's guard: a running job's flag is set once; anything else must be unchanged. */
export function cancelFilter(row: JobRecord): JobFilter {
  if (row.state !== JobState.running) return unchangedFilter(row);
  return { _id: row.id, state: JobState.running, cancelRequested: false };
}

/** Running jobs whose lease expired before `now` (the `leases` index). */
export function expiredLeasesFilter(now: number): JobFilter {
  return { state: JobState.running, leaseExpiresAt: { $lt: now } };
}

/** recoverExpired's guard: the same lease, still expired (a renewal in between wins). */
export function recoverFilter(row: JobRecord, now: number): JobFilter {
  return {
    ...heldFilter(row.id, row.leaseToken ?? ''),
    leaseExpiresAt: { $lt: now },
    cancelRequested: row.cancelRequested,
  };
}

/**
 * Guard of a transition decided from a row that is not running under a lease (cancel of a
 * queued job, retry of a finished one, cancel flag of a running one): the state as read,
 * and nothing visible changed since (seq rises with every such change).
 */
export function unchangedFilter(row: JobRecord): JobFilter {
  return { _id: row.id, state: row.state, seq: row.seq, cancelRequested: row.cancelRequested };
}

export function renewUpdate(expiresAt: number): JobUpdate {
  return { $set: { leaseExpiresAt: expiresAt } };
}

/** Progress of a running job: fields as `$set`, seq only upwards. */
export function progressUpdate(p: ProgressSnapshot): JobUpdate {
  const { progress, stage, message, messages, updatedAt } = p;
  return { $set: { progress, stage, message, messages, updatedAt }, $max: { seq: p.seq } };
}

/** A list page: filters, then keys strictly after the cursor (newest first). */
export function jobListFilter(query: JobListQuery): JobFilter {
  const filter: JobFilter = {};
  if (query.owner !== undefined) filter.owner = query.owner;
  if (query.state !== undefined) filter.state = query.state;
  if (query.type !== undefined) filter.type = query.type;
  if (query.cursor) {
    const { createdAt, id } = query.cursor;
    filter.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }];
  }
  return filter;
}

export const JOB_LIST_SORT: Record<string, SortOrder> = { createdAt: -1, _id: -1 };

/** Counter ids: the whole waiting room, one owner's share of it, the feed's positions. */
export const WAITING_ALL = 'waiting';
export const waitingOf = (owner: string): string => `waiting:${owner}`;
export const FEED_SEQUENCE = 'changes';

/** Takes a slot of counter `id` only while it is below `limit`. */
export function reserveFilter(id: string, limit: number): QueryFilter<{ _id: string; n: number }> {
  return { _id: id, n: { $lt: limit } };
}

export function changeOf(doc: JobChangeDocument): JobChange {
  const { _id, jobId, owner, node, kind } = doc;
  return { position: _id, jobId, owner, node, kind };
}

/**
 * The feed entries a reader may take after `after`: positions are handed out before the entry
 * is written, so a later entry can become visible before an earlier one. Stop at a gap, unless
 * the entry after it was written more than `graceMs` ago (the gap is then for good: a writer
 * that died, or entries pruned while the reader was away).
 */
export function contiguousChanges(
  after: number,
  docs: readonly JobChangeDocument[],
  now: number,
  graceMs: number,
): JobChange[] {
  const out: JobChange[] = [];
  let expected = after + 1;
  for (const doc of docs) {
    if (doc._id !== expected && now - doc.writtenAt.getTime() < graceMs) break;
    out.push(changeOf(doc));
    expected = doc._id + 1;
  }
  return out;
}
