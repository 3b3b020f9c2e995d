import Database from 'better-sqlite3';
import { JobRecord } from '../../../core/jobs/job.model';
import {
  DuplicateIdempotencyKeyError,
  JobGuard,
  JobListQuery,
  JobPatch,
  JobStore,
  TypeStateCount,
} from '../../../core/jobs/job-store.port';
import { SqliteDatabase } from './sqlite-database';
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

const INSERT_SQL = `INSERT INTO jobs (${COLUMNS.join(',')}) VALUES (${COLUMNS.map(() => '?').join(',')})`;

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
 * Embedded JobStore on the shared SQLite connection (see SqliteDatabase for the group commit).
 * Given a file path instead, it opens and owns a connection of its own (tests, tools).
 */
export class SqliteJobStore implements JobStore {
  private database!: SqliteDatabase;
  private readonly updates = new Map<string, Database.Statement>();

  constructor(private readonly source: string | SqliteDatabase) {}

  private get db(): Database.Database {
    return this.database.db;
  }

  init(): Promise<void> {
    this.database = typeof this.source === 'string' ? new SqliteDatabase(this.source) : this.source;
    this.database.migrate('jobs', MIGRATIONS);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (typeof this.source === 'string') await this.database?.close();
  }

  private write<T>(statement: () => T): Promise<T> {
    return this.database.write(statement);
  }

  private prepared(sql: string): Database.Statement {
    return this.database.prepared(sql);
  }

  insert(record: JobRecord): Promise<void> {
    return this.write(() => {
      try {
        this.prepared(INSERT_SQL).run(...COLUMNS.map((c) => toColumn(c, record[c])));
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new DuplicateIdempotencyKeyError();
        }
        throw err;
      }
    });
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
