import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteCheckpointer } from './sqlite-checkpointer';

/**
 * One connection to the embedded SQLite file (WAL), shared by every SQLite adapter so that all
 * writes go through one group commit: a write joins the current event-loop turn's transaction
 * and its promise resolves once that transaction is committed. better-sqlite3 is synchronous,
 * which is faster than a thread hop for rows this small; WAL + synchronous=NORMAL keeps every
 * committed write across a process crash (kill -9). WAL checkpoints run in a worker thread.
 */
export class SqliteDatabase {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private batch: { resolve: () => void; reject: (err: unknown) => void }[] | null = null;
  private checkpointer?: SqliteCheckpointer;

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS component_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    if (file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new SqliteCheckpointer(file);
    }
  }

  /** Applies a component's ordered migrations; its version is the count applied. */
  migrate(component: string, migrations: readonly string[]): void {
    const row = this.prepared('SELECT version FROM component_versions WHERE component = ?').get(
      component,
    ) as { version: number } | undefined;
    for (let v = row?.version ?? 0; v < migrations.length; v++) {
      this.db.transaction(() => {
        this.db.exec(migrations[v]);
        this.prepared(
          'INSERT OR REPLACE INTO component_versions (component, version) VALUES (?, ?)',
        ).run(component, v + 1);
      })();
    }
  }

  /**
   * Runs a write inside the turn's transaction and resolves once it is committed: every
   * caller still learns of durability before it acknowledges, but a burst of writes costs
   * one commit instead of one each.
   */
  write<T>(statement: () => T): Promise<T> {
    if (!this.batch) {
      this.prepared('BEGIN IMMEDIATE').run();
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
      this.prepared('COMMIT').run();
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      batch.forEach((w) => w.reject(err));
      return;
    }
    batch.forEach((w) => w.resolve());
  }

  /** A cached prepared statement. */
  prepared(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  async close(): Promise<void> {
    this.commit();
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    if (this.db.open) this.db.close();
  }
}
