import { JobHistoryEntry, JobRecord, JobState, appendHistory } from '../../../core/jobs/job.model';
import {
  AttemptOutcome,
  CancelAnswer,
  ClaimRequest,
  DuplicateIdempotencyKeyError,
  HeldLease,
  JobChange,
  JobListQuery,
  JobStore,
  ProgressSnapshot,
  QueueFull,
  QueueLimits,
  TypeStateCount,
  Writer,
} from '../../../core/jobs/job-store.port';
import {
  JobPatch,
  cancelPatch,
  claimPatch,
  withProgress,
  finishPatch,
  recoverPatch,
  retryPatch,
} from '../../../core/jobs/job-transitions';
import { SqliteDatabase } from './sqlite-database';
import {
  INSERT_SQL,
  RECORD_SELECT,
  Row,
  fromValues,
  rowidOf,
  toColumn,
  toValues,
  updateSql,
} from './sqlite-job-rows';
import { MIGRATIONS } from './sqlite-schema';

const CLAIM_SQL =
  `SELECT ${RECORD_SELECT} FROM jobs WHERE state = 'queued' AND type = ? AND runAfter <= ? ` +
  `ORDER BY priority DESC, fairRank, createdAt LIMIT ?`;
const PROGRESS_SQL =
  `UPDATE jobs SET progress = ?, stage = ?, message = ?, messages = ?, seq = MAX(seq, ?), ` +
  `updatedAt = ? WHERE id = ? AND state = 'running' AND leaseToken = ?`;
const RENEW_SQL =
  `UPDATE jobs SET leaseExpiresAt = ? WHERE id = ? AND state = 'running' AND leaseToken = ? ` +
  `RETURNING cancelRequested`;
const WAITING_SQL =
  `SELECT (SELECT n FROM job_waiting WHERE owner = '') AS total, ` +
  `(SELECT n FROM job_waiting WHERE owner = ?) AS mine`;
/**
 * Positions rise with time: everything before the first change at or after `before` goes, but
 * the newest entry stays (the next position counts on from the largest one in the table).
 */
const PRUNE_SQL =
  'DELETE FROM job_changes WHERE position < COALESCE(' +
  '(SELECT position FROM job_changes WHERE at >= ? ORDER BY position LIMIT 1), ' +
  '(SELECT MAX(position) FROM job_changes))';
/** The waiting-room counts: the owner's row (made on first use) and the total row (''). */
const COUNT_SQL =
  `INSERT INTO job_waiting (owner, n) VALUES (?, ?), ('', ?) ` +
  `ON CONFLICT (owner) DO UPDATE SET n = n + excluded.n`;
/** A page of the feed without the reader's own entries (but its last entry, the page's end). */
const CHANGES_SQL =
  'WITH page AS (SELECT * FROM job_changes WHERE position > @after ORDER BY position LIMIT @limit) ' +
  'SELECT * FROM page WHERE node != @node OR position = (SELECT MAX(position) FROM page) ' +
  'ORDER BY position';
const ROW_SQL = `SELECT ${RECORD_SELECT} FROM jobs WHERE id = ?`;
/** Feed entries per insert statement (5 values each) when a batch writes them at commit. */
const CHANGES_PER_INSERT = 64;
/** The insert of `n` feed entries at index n, made once (not at every commit). */
const CHANGE_INSERTS = Array.from(
  { length: CHANGES_PER_INSERT + 1 },
  (_, n) =>
    `INSERT INTO job_changes (jobId, owner, node, kind, at) VALUES ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')}`,
);

/** Connections that have a job store: one each (see init). */
const attached = new WeakSet<SqliteDatabase>();

/** A record read in the open transaction, with the rowid its update goes to. */
interface Stored {
  record: JobRecord;
  rowid: number;
}

/**
 * Embedded JobStore on the shared SQLite connection. Every operation runs synchronously inside
 * one write transaction (`BEGIN IMMEDIATE`, see SqliteDatabase), so reading the row and writing
 * the transition decided from it is one atomic compare-and-set, also across processes sharing
 * the file. The waiting-room counts are kept in the same transactions; the change feed is a table.
 * Given a file path instead of a database, it opens and owns a connection of its own.
 */
export class SqliteJobStore implements JobStore {
  private database!: SqliteDatabase;
  /** The open transaction's waiting-room moves by owner, written once before it commits. */
  private readonly moves = new Map<string, number>();
  /** The sum of `moves`: the move of the total count. */
  private moved = 0;
  /** The open transaction's feed entries, five values each, written in order before it commits. */
  private changeValues: unknown[] = [];

  constructor(private readonly source: string | SqliteDatabase) {}

  init(): Promise<void> {
    const database =
      typeof this.source === 'string' ? new SqliteDatabase(this.source) : this.source;
    if (attached.has(database)) {
      // Two stores' batch state (counts, feed entries) would be written out of write order.
      const message = `${database.file} already has a job store on this connection`;
      return Promise.reject(new Error(message));
    }
    attached.add(database);
    this.database = database;
    this.database.migrate('jobs', MIGRATIONS);
    this.database.beforeCommit(() => this.endBatch());
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (!this.database) return;
    attached.delete(this.database);
    if (typeof this.source === 'string') await this.database.close();
  }

  ping(): Promise<void> {
    this.sql('SELECT 1').get();
    return Promise.resolve();
  }

  insert(record: JobRecord, limits: QueueLimits, by: Writer): Promise<QueueFull | null> {
    return this.write(() => {
      const waiting = this.waitingOf(record.owner);
      if (!record.system) {
        if (waiting.total >= limits.total) return 'system';
        if (waiting.owner >= limits.perUser) return 'user';
      }
      try {
        this.sql(INSERT_SQL).run(...toValues(record), waiting.owner);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new DuplicateIdempotencyKeyError();
        }
        throw err;
      }
      if (!record.system) this.moveWaiting(record.owner, 1);
      this.logChange(record.id, record.owner, by, 'state');
      return null;
    });
  }

  claim(type: string, max: number, request: ClaimRequest): Promise<JobRecord[]> {
    return this.write(() => {
      const rows = this.storedRows(CLAIM_SQL, type, request.now, max);
      return rows.map((r) => this.apply(r, claimPatch(r.record, request), request));
    });
  }

  renewLeases(
    leases: readonly HeldLease[],
    leaseMs: number,
    by: Writer,
  ): Promise<{ id: string; cancelRequested: boolean }[]> {
    if (leases.length === 0) return Promise.resolve([]);
    return this.write(() => {
      const held: { id: string; cancelRequested: boolean }[] = [];
      for (const { id, token } of leases) {
        const row = this.sql(RENEW_SQL).get(by.now + leaseMs, id, token) as Row | undefined;
        if (row) held.push({ id, cancelRequested: row.cancelRequested === 1 });
      }
      return held;
    });
  }

  recoverExpired(by: Writer, ttlMs: number, limit: number): Promise<JobRecord[]> {
    return this.write(() => {
      const sql = `SELECT ${RECORD_SELECT} FROM jobs WHERE state = 'running' AND leaseExpiresAt < ? LIMIT ?`;
      const rows = this.storedRows(sql, by.now, limit);
      return rows.map((r) => this.apply(r, recoverPatch(r.record, by, ttlMs), by));
    });
  }

  finishAttempt(
    id: string,
    token: string,
    outcome: AttemptOutcome,
    by: Writer,
    ttlMs: number,
    last?: ProgressSnapshot,
  ): Promise<JobRecord | null> {
    return this.write(() =>
      this.mutate(id, by, (r) =>
        r.state === JobState.running && r.leaseToken === token
          ? finishPatch(withProgress(r, last), outcome, by, ttlMs)
          : null,
      ),
    );
  }

  saveProgress(id: string, token: string, p: ProgressSnapshot, by: Writer): Promise<boolean> {
    return this.write(() => {
      const messages = JSON.stringify(p.messages);
      const args = [p.progress, p.stage, p.message, messages, p.seq, p.updatedAt, id, token];
      const changed = this.sql(PROGRESS_SQL).run(...args).changes > 0;
      if (changed) {
        const owner = (this.sql('SELECT owner FROM jobs WHERE id = ?').get(id) as Row).owner;
        this.logChange(id, owner as string, by, 'progress');
      }
      return changed;
    });
  }

  requestCancel(id: string, by: Writer, ttlMs: number): Promise<CancelAnswer | null> {
    return this.write(() => {
      const current = this.storedRow(id);
      if (!current) return null;
      const patch = cancelPatch(current.record, by, ttlMs);
      if (!patch) return { record: current.record, changed: false };
      return { record: this.apply(current, patch, by), changed: true };
    });
  }

  retry(id: string, limits: QueueLimits, by: Writer): Promise<JobRecord | QueueFull | null> {
    return this.write(() => {
      const current = this.storedRow(id);
      const patch = current && retryPatch(current.record, by);
      if (!current || !patch) return null;
      if (!current.record.system) {
        const waiting = this.waitingOf(current.record.owner);
        if (waiting.total >= limits.total) return 'system';
        if (waiting.owner >= limits.perUser) return 'user';
      }
      return this.apply(current, patch, by);
    });
  }

  releaseNode(by: Writer): Promise<JobRecord[]> {
    return this.write(() => {
      const sql = `SELECT ${RECORD_SELECT} FROM jobs WHERE state = 'running' AND node = ?`;
      const rows = this.storedRows(sql, by.node);
      const released = { kind: 'released' } as const;
      return rows.map((r) => this.apply(r, finishPatch(r.record, released, by, 0), by));
    });
  }

  noteHistory(id: string, entry: JobHistoryEntry): Promise<void> {
    return this.write(() => {
      const current = this.row(id);
      if (!current) return;
      const history = JSON.stringify(appendHistory(current.history, entry));
      this.sql('UPDATE jobs SET history = ? WHERE id = ?').run(history, id);
    });
  }

  clearIdempotencyKey(id: string): Promise<void> {
    return this.write(() => {
      this.sql('UPDATE jobs SET idempotencyKey = NULL WHERE id = ?').run(id);
    });
  }

  delete(id: string, by: Writer): Promise<boolean> {
    return this.write(() => {
      const sql = 'DELETE FROM jobs WHERE id = ? RETURNING owner, state, system';
      const row = this.sql(sql).get(id) as Row | undefined;
      if (!row) return false;
      const owner = row.owner as string;
      if (row.state === JobState.queued && row.system === 0) this.moveWaiting(owner, -1);
      this.logChange(id, owner, by, 'deleted');
      return true;
    });
  }

  get(id: string): Promise<JobRecord | null> {
    return Promise.resolve(this.row(id));
  }

  getMany(ids: readonly string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const sql = `SELECT ${RECORD_SELECT} FROM jobs WHERE id IN (SELECT value FROM json_each(?))`;
    return Promise.resolve(this.records(sql, JSON.stringify(ids)));
  }

  findByIdempotencyKey(owner: string, key: string): Promise<JobRecord | null> {
    const sql = `SELECT ${RECORD_SELECT} FROM jobs WHERE owner = ? AND idempotencyKey = ?`;
    return Promise.resolve(this.records(sql, owner, key)[0] ?? null);
  }

  list(query: JobListQuery): Promise<JobRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const filters: [string, unknown][] = [
      ['owner', query.owner],
      ['state', query.state],
      ['type', query.type],
    ];
    for (const [column, value] of filters) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    if (query.cursor) {
      where.push('(createdAt < ? OR (createdAt = ? AND id < ?))');
      params.push(query.cursor.createdAt, query.cursor.createdAt, query.cursor.id);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sql = `SELECT ${RECORD_SELECT} FROM jobs ${clause} ORDER BY createdAt DESC, id DESC LIMIT ?`;
    return Promise.resolve(this.records(sql, ...params, query.limit));
  }

  findExpired(now: number, limit: number): Promise<JobRecord[]> {
    const sql = `SELECT ${RECORD_SELECT} FROM jobs WHERE expiresAt IS NOT NULL AND expiresAt < ? LIMIT ?`;
    return Promise.resolve(this.records(sql, now, limit));
  }

  countWaiting(): Promise<number> {
    return Promise.resolve(this.waitingOf('').total);
  }

  countByTypeAndState(owner?: string): Promise<TypeStateCount[]> {
    const clause = owner === undefined ? '' : 'WHERE owner = ?';
    const sql = `SELECT type, state, COUNT(*) AS count FROM jobs ${clause} GROUP BY type, state`;
    const args = owner === undefined ? [] : [owner];
    return Promise.resolve(this.sql(sql).all(...args) as TypeStateCount[]);
  }

  nextRunAfter(types: readonly string[], now: number): Promise<number | null> {
    if (types.length === 0) return Promise.resolve(null);
    const marks = types.map(() => '?').join(',');
    const sql = `SELECT MIN(runAfter) AS at FROM jobs WHERE state = 'queued' AND type IN (${marks}) AND runAfter > ?`;
    const row = this.sql(sql).get(...types, now) as { at: number | null };
    return Promise.resolve(row.at);
  }

  changes(after: number, limit: number, exceptNode = ''): Promise<JobChange[]> {
    return Promise.resolve(
      this.sql(CHANGES_SQL).all({ after, limit, node: exceptNode }) as JobChange[],
    );
  }

  feedHead(): Promise<number> {
    const row = this.sql('SELECT MAX(position) AS head FROM job_changes').get() as {
      head: number | null;
    };
    return Promise.resolve(row.head ?? 0);
  }

  pruneChanges(before: number): Promise<void> {
    return this.write(() => {
      this.sql(PRUNE_SQL).run(before);
    });
  }

  private write<T>(statement: () => T): Promise<T> {
    return this.database.write(statement);
  }

  private sql(text: string) {
    return this.database.prepared(text);
  }

  /** Whole records, read as raw rows (arrays map onto records faster than named rows). */
  private records(text: string, ...args: unknown[]): JobRecord[] {
    return this.storedRows(text, ...args).map((r) => r.record);
  }

  private row(id: string): JobRecord | null {
    return this.storedRow(id)?.record ?? null;
  }

  /** Records with their rowids, for the updates that follow in the same transaction. */
  private storedRows(text: string, ...args: unknown[]): Stored[] {
    const rows = this.sql(text)
      .raw(true)
      .all(...args) as unknown[][];
    return rows.map(stored);
  }

  private storedRow(id: string): Stored | null {
    const row = this.sql(ROW_SQL).raw(true).get(id) as unknown[] | undefined;
    return row ? stored(row) : null;
  }

  /** Waiting-room counts (system jobs excluded): all users, and `owner`'s own. */
  private waitingOf(owner: string): { total: number; owner: number } {
    const row = this.sql(WAITING_SQL).get(owner) as { total: number | null; mine: number | null };
    return {
      total: (row.total ?? 0) + this.moved,
      owner: (row.mine ?? 0) + (this.moves.get(owner) ?? 0),
    };
  }

  /** Reads the row and applies the transition `decide` picks, in the open transaction. */
  private mutate(id: string, by: Writer, decide: (r: JobRecord) => JobPatch | null) {
    const current = this.storedRow(id);
    const patch = current && decide(current.record);
    return current && patch ? this.apply(current, patch, by) : null;
  }

  /** Writes a patch (requeues get a fair rank: the owner's jobs already waiting). */
  private apply({ record: current, rowid }: Stored, patch: JobPatch, by: Writer): JobRecord {
    const keys = Object.keys(patch).filter((k) => (patch as Row)[k] !== undefined);
    const values = keys.map((k) => toColumn(k, (patch as Row)[k]));
    const waitingDelta = queueEntry(current.state, patch.state);
    if (waitingDelta > 0) {
      keys.push('fairRank');
      values.push(this.waitingOf(current.owner).owner);
    }
    this.sql(updateSql(keys)).run(...values, rowid);
    if (waitingDelta !== 0 && !current.system) this.moveWaiting(current.owner, waitingDelta);
    this.logChange(current.id, current.owner, by, 'state');
    return { ...current, ...patch };
  }

  /** Moves the waiting-room counts of `owner` and of everyone ('') by `delta`, at commit. */
  private moveWaiting(owner: string, delta: number): void {
    this.moves.set(owner, (this.moves.get(owner) ?? 0) + delta);
    this.moved += delta;
  }

  /**
   * Writes what the batch accumulated, just before it commits: the waiting-room moves (a burst
   * of inserts or a claim moves each owner's count once) and the feed entries. Forgets them
   * either way: a batch that fails here is rolled back whole.
   */
  private endBatch(): void {
    const changes = this.changeValues;
    this.changeValues = [];
    try {
      for (const [owner, delta] of this.moves) {
        if (delta !== 0) this.sql(COUNT_SQL).run(owner, delta, delta);
      }
      this.writeChanges(changes);
    } finally {
      this.moves.clear();
      this.moved = 0;
    }
  }

  /** Adds a feed entry; the batch's entries are inserted together at commit, in this order. */
  private logChange(jobId: string, owner: string, by: Writer, kind: JobChange['kind']): void {
    this.changeValues.push(jobId, owner, by.node, kind, by.now);
  }

  /** Inserts feed entries, many to a statement (one statement per entry costs twice as much). */
  private writeChanges(values: unknown[]): void {
    const step = CHANGES_PER_INSERT * 5;
    for (let i = 0; i < values.length; i += step) {
      const chunk = values.slice(i, i + step);
      this.sql(CHANGE_INSERTS[chunk.length / 5]).run(chunk);
    }
  }
}

function stored(row: readonly unknown[]): Stored {
  return { record: fromValues(row), rowid: rowidOf(row) };
}

/** +1 when a transition enters the waiting room (queued), -1 when it leaves it, else 0. */
function queueEntry(from: JobState, to: JobState | undefined): number {
  if (to === undefined || (from === JobState.queued) === (to === JobState.queued)) return 0;
  return to === JobState.queued ? 1 : -1;
}
