import { JOB_RECORD_FIELDS, JobRecord } from '../../../core/jobs/job.model';
import { BOOL_COLUMNS, JSON_COLUMNS } from './sqlite-schema';

/** A row as better-sqlite3 returns it. */
export type Row = Record<string, unknown>;

/** Every column of a JobRecord, in insert order (plus `fairRank`, the store's own). */
export const RECORD_COLUMNS: readonly (keyof JobRecord)[] = JOB_RECORD_FIELDS;

/**
 * The select list of a whole record and its rowid (last); records are read raw (one array per
 * row, in this order) and updated by rowid, which saves a second lookup through the id index.
 */
export const RECORD_SELECT = `${RECORD_COLUMNS.join(', ')}, rowid`;

/** The rowid of a raw row selected with RECORD_SELECT. */
export function rowidOf(values: readonly unknown[]): number {
  return values[RECORD_COLUMNS.length] as number;
}

const COLUMN_SET = new Set<string>(RECORD_COLUMNS);

/** How a column is stored: as is, as JSON text, or as 0/1. */
enum Kind {
  plain,
  json,
  bool,
}

const KINDS = new Map<string, Kind>([
  ...JSON_COLUMNS.map((c) => [c, Kind.json] as const),
  ...BOOL_COLUMNS.map((c) => [c, Kind.bool] as const),
]);
const RECORD_KINDS = RECORD_COLUMNS.map((c) => KINDS.get(c) ?? Kind.plain);

export const INSERT_SQL =
  `INSERT INTO jobs (${RECORD_COLUMNS.join(', ')}, fairRank) ` +
  `VALUES (${RECORD_COLUMNS.map(() => '?').join(',')}, ?)`;

export function toColumn(key: string, value: unknown): unknown {
  return encode(KINDS.get(key) ?? Kind.plain, value);
}

function encode(kind: Kind, value: unknown): unknown {
  if (kind === Kind.json) return JSON.stringify(value ?? null);
  if (kind === Kind.bool) return value ? 1 : 0;
  return value;
}

/** A record's values in RECORD_COLUMNS order, as the insert binds them. */
export function toValues(record: JobRecord): unknown[] {
  return RECORD_COLUMNS.map((c, i) => encode(RECORD_KINDS[i], record[c]));
}

/** Every field of a record, in column order: copies of it share one fast object shape. */
const RECORD_SHAPE: Row = Object.fromEntries(RECORD_COLUMNS.map((c) => [c, null]));

/**
 * A record from a raw row selected with RECORD_SELECT. It is filled into a copy of
 * RECORD_SHAPE: filled by computed keys from `{}`, the record ended in V8's dictionary mode
 * (measured), and every later read or spread of it cost several times more.
 */
export function fromValues(values: readonly unknown[]): JobRecord {
  const out: Row = { ...RECORD_SHAPE };
  for (let i = 0; i < RECORD_COLUMNS.length; i++) {
    const value = values[i];
    const kind = RECORD_KINDS[i];
    out[RECORD_COLUMNS[i]] =
      kind === Kind.json ? JSON.parse(value as string) : kind === Kind.bool ? value === 1 : value;
  }
  out.messages ??= [];
  out.history ??= [];
  return out as unknown as JobRecord;
}

const updates = new Map<string, string>();

/** `UPDATE jobs SET a = ?, b = ? WHERE rowid = ?` for a patch's keys (only known columns), cached. */
export function updateSql(keys: readonly string[]): string {
  const shape = keys.join(',');
  let sql = updates.get(shape);
  if (sql) return sql;
  for (const key of keys) {
    if (!COLUMN_SET.has(key) && key !== 'fairRank') throw new Error(`unknown column ${key}`);
  }
  sql = `UPDATE jobs SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE rowid = ?`;
  updates.set(shape, sql);
  return sql;
}
