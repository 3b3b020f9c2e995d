import { JOB_RECORD_FIELDS, JobRecord } from '../../../core/jobs/job.model';
import { BOOL_COLUMNS, JSON_COLUMNS } from './sqlite-schema';

/** A row as better-sqlite3 returns it. */
export type Row = Record<string, unknown>;

/** Every column of a JobRecord, in insert order (plus `fairRank`, the store's own). */
export const RECORD_COLUMNS: readonly (keyof JobRecord)[] = JOB_RECORD_FIELDS;

const COLUMN_SET = new Set<string>(RECORD_COLUMNS);

export const INSERT_SQL =
  `INSERT INTO jobs (${RECORD_COLUMNS.join(',')}, fairRank) ` +
  `VALUES (${RECORD_COLUMNS.map(() => '?').join(',')}, ?)`;

export function toColumn(key: string, value: unknown): unknown {
  if ((JSON_COLUMNS as readonly string[]).includes(key)) return JSON.stringify(value ?? null);
  if ((BOOL_COLUMNS as readonly string[]).includes(key)) return value ? 1 : 0;
  return value;
}

export function fromRow(row: Row): JobRecord {
  const out: Row = {};
  for (const key of RECORD_COLUMNS) out[key] = row[key];
  for (const key of JSON_COLUMNS) out[key] = JSON.parse(row[key] as string) as unknown;
  for (const key of BOOL_COLUMNS) out[key] = row[key] === 1;
  out.messages = out.messages ?? [];
  out.history = out.history ?? [];
  return out as unknown as JobRecord;
}

const updates = new Map<string, string>();

/** `UPDATE jobs SET a = ?, b = ? WHERE id = ?` for a patch's keys (only known columns), cached. */
export function updateSql(keys: readonly string[]): string {
  const shape = keys.join(',');
  let sql = updates.get(shape);
  if (sql) return sql;
  for (const key of keys) {
    if (!COLUMN_SET.has(key) && key !== 'fairRank') throw new Error(`unknown column ${key}`);
  }
  sql = `UPDATE jobs SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`;
  updates.set(shape, sql);
  return sql;
}
