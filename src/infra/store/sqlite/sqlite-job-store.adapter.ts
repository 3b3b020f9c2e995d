import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { JobRecord } from '../../../core/jobs/job.model';
import {
  DuplicateIdempotencyKeyError,
  JobGuard,
  JobListQuery,
  JobPatch,
  JobStore,
  TypeStateCount,
} from '../../../core/jobs/job-store.port';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { BOOL_COLUMNS, JSON_COLUMNS, MIGRATIONS } from './sqlite-schema';

type Row = Record<string, unknown>;

const GUARD_FIELDS = ['leaseToken', 'attempt', 'cancelRequested'] as const;

const COLUMNS: (keyof JobRecord)[] = [
  'id',
  'type',
  'owner',
  'state',
  'priority',
  'payload',
  'progress',
  'stage',
  'message',
  'seq',
  'attempt',
  'maxAttempts',
  'stalls',
  'cancelRequested',
  'runAfter',
  'leaseToken',
  'leaseExpiresAt',
  'error',
  'result',
  'messages',
  'idempotencyKey',
  'requestHash',
  'createdAt',
  'startedAt',
  'updatedAt',
  'finishedAt',
  'expiresAt',
];

function toColumn(key: string, value: unknown): unknown {
  if ((JSON_COLUMNS as readonly string[]).includes(key)) return JSON.stringify(value ?? null);
  if ((BOOL_COLUMNS as readonly string[]).includes(key)) return value ? 1 : 0;
  return value;
}

function fromRow(row: Row): JobRecord {
  const out: Row = { ...row };
  for (const key of JSON_COLUMNS) out[key] = JSON.parse(row[key] as string) as unknown;
  for (const key of BOOL_COLUMNS) out[key] = row[key] === 1;
  out.messages = out.messages ?? [];
  return out as unknown as JobRecord;
}

/**
 * Embedded JobStore on one SQLite file (WAL). better-sqlite3 is synchronous: each call is a
 * short transaction on the event loop, which is faster than a thread hop for rows this small.
 * WAL + synchronous=NORMAL keeps every committed write across a process crash (kill -9).
 */
export class SqliteJobStore implements JobStore {
  private db!: Database.Database;
  private readonly updates = new Map<string, Database.Statement>();
  private readonly statements = new Map<string, Database.Statement>();
  private checkpointer?: SqliteCheckpointer;
  /** Writes of the current event-loop turn, committed together (group commit). */
  private batch: { resolve: () => void; reject: (err: unknown) => void }[] | null = null;

  constructor(private readonly file: string) {}

  init(): Promise<void> {
    if (this.file !== ':memory:') mkdirSync(dirname(this.file), { recursive: true });
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    if (this.file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new SqliteCheckpointer(this.file);
    }
    return Promise.resolve();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async close(): Promise<void> {
    this.commit();
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    if (this.db?.open) this.db.close();
  }

  insert(record: JobRecord): Promise<void> {
    const sql = `INSERT INTO jobs (${COLUMNS.join(',')}) VALUES (${COLUMNS.map(() => '?').join(',')})`;
    return this.write(() => {
      try {
        this.prepared(sql).run(...COLUMNS.map((c) => toColumn(c, record[c])));
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new DuplicateIdempotencyKeyError();
        }
        throw err;
      }
    });
  }

  /**
   * Runs a write inside the turn's transaction and resolves once it is committed: every
   * caller still learns of durability before it acknowledges, but a burst of writes costs
   * one commit instead of one each.
   */
  private write<T>(statement: () => T): Promise<T> {
    if (!this.batch) {
      this.db.exec('BEGIN IMMEDIATE');
      this.batch = [];
      setImmediate(() => this.commit());
    }
    let value: T;
    try {
      value = statement();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise<T>((resolve, reject) => {
      this.batch!.push({ resolve: () => resolve(value), reject });
    });
  }

  private commit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      batch.forEach((w) => w.reject(err));
      return;
    }
    batch.forEach((w) => w.resolve());
  }

  private prepared(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  update(
    id: string,
    guard: JobGuard,
    patch: JobPatch,
    minSeq: number | 'keep' = 0,
  ): Promise<JobRecord | null> {
    const keys = Object.keys(patch).filter((k) => (patch as Row)[k] !== undefined);
    const states = guard.states ?? [];
    const fences = GUARD_FIELDS.filter((f) => guard[f] !== undefined);
    const keep = minSeq === 'keep';
    const shape = `${keys.join(',')}|${states.length}|${fences.join(',')}|${keep}`;
    let stmt = this.updates.get(shape);
    if (!stmt) {
      stmt = this.db.prepare(this.updateSql(keys, states.length, fences, keep));
      this.updates.set(shape, stmt);
    }
    const prepared = stmt;
    const params: unknown[] = keys.map((k) => toColumn(k, (patch as Row)[k]));
    if (!keep) params.push(minSeq);
    params.push(id);
    params.push(...states, ...fences.map((f) => toColumn(f, guard[f])));
    return this.write(() => {
      const row = prepared.get(...params) as Row | undefined;
      return row ? fromRow(row) : null;
    });
  }

  private updateSql(
    keys: string[],
    stateCount: number,
    fences: readonly string[],
    keepSeq: boolean,
  ): string {
    const sets = keys.map((k) => `${k} = ?`);
    if (!keepSeq) sets.push('seq = MAX(seq + 1, ?)');
    let where = 'id = ?';
    if (stateCount > 0) where += ` AND state IN (${new Array(stateCount).fill('?').join(',')})`;
    for (const field of fences) where += ` AND ${field} = ?`;
    return `UPDATE jobs SET ${sets.join(', ')} WHERE ${where} RETURNING *`;
  }

  get(id: string): Promise<JobRecord | null> {
    return Promise.resolve(this.one('SELECT * FROM jobs WHERE id = ?', id));
  }

  findByIdempotencyKey(owner: string, key: string): Promise<JobRecord | null> {
    return Promise.resolve(
      this.one('SELECT * FROM jobs WHERE owner = ? AND idempotencyKey = ?', owner, key),
    );
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
    const sql = `SELECT * FROM jobs ${clause} ORDER BY createdAt DESC, id DESC LIMIT ?`;
    return Promise.resolve(this.many(sql, ...params, query.limit));
  }

  findQueued(types: readonly string[], limit: number): Promise<JobRecord[]> {
    if (types.length === 0) return Promise.resolve([]);
    const marks = types.map(() => '?').join(',');
    const sql = `SELECT * FROM jobs WHERE state = 'queued' AND type IN (${marks}) ORDER BY createdAt LIMIT ?`;
    return Promise.resolve(this.many(sql, ...types, limit));
  }

  findExpiredLeases(now: number, limit: number): Promise<JobRecord[]> {
    const sql = `SELECT * FROM jobs WHERE state = 'running' AND leaseExpiresAt < ? LIMIT ?`;
    return Promise.resolve(this.many(sql, now, limit));
  }

  findRunning(limit: number): Promise<JobRecord[]> {
    return Promise.resolve(this.many(`SELECT * FROM jobs WHERE state = 'running' LIMIT ?`, limit));
  }

  findExpired(now: number, limit: number): Promise<JobRecord[]> {
    const sql = `SELECT * FROM jobs WHERE expiresAt IS NOT NULL AND expiresAt < ? LIMIT ?`;
    return Promise.resolve(this.many(sql, now, limit));
  }

  delete(id: string): Promise<boolean> {
    return this.write(() => this.prepared('DELETE FROM jobs WHERE id = ?').run(id).changes > 0);
  }

  countQueued(): Promise<{ total: number; byOwner: Map<string, number> }> {
    const rows = this.db
      .prepare(`SELECT owner, COUNT(*) AS n FROM jobs WHERE state = 'queued' GROUP BY owner`)
      .all() as { owner: string; n: number }[];
    const byOwner = new Map(rows.map((r) => [r.owner, r.n]));
    const total = rows.reduce((sum, r) => sum + r.n, 0);
    return Promise.resolve({ total, byOwner });
  }

  countByTypeAndState(owner?: string): Promise<TypeStateCount[]> {
    const clause = owner === undefined ? '' : 'WHERE owner = ?';
    const sql = `SELECT type, state, COUNT(*) AS count FROM jobs ${clause} GROUP BY type, state`;
    const args = owner === undefined ? [] : [owner];
    return Promise.resolve(this.prepared(sql).all(...args) as TypeStateCount[]);
  }

  ping(): Promise<void> {
    this.prepared('SELECT 1').get();
    return Promise.resolve();
  }

  private one(sql: string, ...params: unknown[]): JobRecord | null {
    const row = this.prepared(sql).get(...params) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  private many(sql: string, ...params: unknown[]): JobRecord[] {
    return (this.prepared(sql).all(...params) as Row[]).map(fromRow);
  }
}
