import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CheckpointPolicy, DEFAULT_CHECKPOINTS, SqliteCheckpointer } from './sqlite-checkpointer';

/** How long opening and migrating wait for another process's lock (ms). */
const OPEN_BUSY_MS = 10_000;
/** How long a read waits for one; writes retry asynchronously instead (ms). */
const RUN_BUSY_MS = 20;
/** Writes per transaction at most: a burst of 20,000 submissions commits in slices. */
const MAX_BATCH = 512;
/** The size a restarted WAL file is cut back to (bytes). */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/** SQLITE_BUSY and its variants: another connection holds a lock. */
function isBusy(err: unknown): boolean {
  return String((err as { code?: string }).code).startsWith('SQLITE_BUSY');
}

/**
 * Runs `step` again, for up to OPEN_BUSY_MS, while it fails on a lock SQLite will not wait for:
 * when two processes turn a new file to WAL at once, one of them would deadlock waiting, so
 * SQLite answers it SQLITE_BUSY at once instead of calling the busy handler.
 */
function whileLocked<T>(step: () => T): T {
  const until = Date.now() + OPEN_BUSY_MS;
  for (;;) {
    try {
      return step();
    } catch (err) {
      if (!isBusy(err) || Date.now() > until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // opening is synchronous
    }
  }
}

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * One connection to the embedded SQLite file (WAL), shared by every SQLite adapter so that all
 * writes go through one group commit: writes queued in one event-loop turn run in one
 * transaction and their promises resolve once it is committed. Several processes may share the
 * file: each write transaction is `BEGIN IMMEDIATE`, so they take turns. better-sqlite3 is synchronous,
 * which is faster than a thread hop for rows this small; WAL + synchronous=NORMAL keeps every
 * committed write across a process crash (kill -9). WAL checkpoints run in a worker thread.
 */
export class SqliteDatabase {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private pending: PendingWrite[] = [];
  private flushing = false;
  private busyDelay = 0;
  private checkpointer?: SqliteCheckpointer;
  private readonly commitHooks: (() => void)[] = [];

  constructor(
    readonly file: string,
    checkpoints: CheckpointPolicy = DEFAULT_CHECKPOINTS,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.opening(() => {
      whileLocked(() => this.db.pragma('journal_mode = WAL'));
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('cache_size = -65536');
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS component_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
      );
    });
    if (file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 0');
      // A log that grew in a burst is cut back to this size when it restarts.
      this.db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
      // Without its thread, SQLite checkpoints in the committing write, as by default.
      const fallBack = () => this.db.open && this.db.pragma('wal_autocheckpoint = 1000');
      this.checkpointer = new SqliteCheckpointer(file, checkpoints, fallBack);
    }
  }

  /**
   * Applies a component's ordered migrations; its version is the count applied. Each step reads
   * the version inside its own write transaction, so processes migrating one file at once apply
   * every step exactly once. A file of a newer schema is refused: an older build would write
   * it by rules that no longer hold.
   */
  migrate(component: string, migrations: readonly string[]): void {
    const step = this.db.transaction((): boolean => {
      const row = this.prepared('SELECT version FROM component_versions WHERE component = ?').get(
        component,
      ) as { version: number } | undefined;
      const version = row?.version ?? 0;
      if (version > migrations.length) {
        throw new Error(
          `${this.file} was written by a newer Darkroom (${component} schema ${version}, this ` +
            `build knows ${migrations.length}): run that version or a later one`,
        );
      }
      if (version === migrations.length) return false;
      this.db.exec(migrations[version]);
      this.prepared(
        'INSERT OR REPLACE INTO component_versions (component, version) VALUES (?, ?)',
      ).run(component, version + 1);
      return true;
    });
    this.opening(() => {
      let pending = true;
      while (pending) pending = step.immediate();
    });
  }

  /**
   * Runs `work` waiting up to OPEN_BUSY_MS for other processes' locks (several may open and
   * migrate one file at once); then a read waits RUN_BUSY_MS at most, and a write that finds
   * another process's transaction retries asynchronously (flush).
   */
  private opening(work: () => void): void {
    this.db.pragma(`busy_timeout = ${OPEN_BUSY_MS}`);
    try {
      work();
    } finally {
      this.db.pragma(`busy_timeout = ${RUN_BUSY_MS}`);
    }
  }

  /**
   * Queues a write for this turn's transaction and resolves once it is committed: every caller
   * learns of durability before it acknowledges, but a burst of writes costs one commit. The
   * batch runs inside `BEGIN IMMEDIATE`, so a write that reads a row and updates it is atomic,
   * also against other processes. A write that throws must do so before its first change
   * (the adapters' writes only throw on their first statement, a constraint).
   */
  write<T>(statement: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: statement, resolve: resolve as (v: unknown) => void, reject });
      if (this.pending.length === 1 && !this.flushing) setImmediate(() => this.flush());
    });
  }

  /**
   * Runs `hook` at the end of every write batch, inside its transaction, just before COMMIT: an
   * adapter writes there what its writes of the batch accumulated (e.g. counters moved once).
   * A hook that throws rolls the whole batch back; the other hooks still run (and so forget
   * their batch's state), their writes rolled back with it.
   */
  beforeCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  /** Runs every commit hook; throws the first failure once all of them ran. */
  private runCommitHooks(): void {
    let failure: { err: unknown } | undefined;
    for (const hook of this.commitHooks) {
      try {
        hook();
      } catch (err) {
        failure ??= { err };
      }
    }
    if (failure) throw failure.err;
  }

  /**
   * Runs the queued writes in one transaction, at most MAX_BATCH of them (the rest in the next
   * turn, so a burst neither blocks the event loop nor grows the log in one piece). When another
   * process holds the write lock, tries again shortly instead of blocking the event loop
   * (busy_timeout stays for reads); while the checkpointer restarts the log, waits for it.
   * It never throws (it runs from timers): any other failure rejects the batch's writes, and a
   * closed database rejects whatever is still queued.
   */
  private flush(): void {
    if (this.pending.length === 0) return;
    if (!this.db.open) return this.rejectPending(new Error('the database is closed'));
    if (this.checkpointer?.holdsWriter()) return this.flushAfter(this.checkpointer.released());
    let began: boolean;
    try {
      began = this.begin();
    } catch (err) {
      return this.rejectPending(err);
    }
    if (!began) return this.retryLater();
    this.busyDelay = 0;
    this.commit(this.pending.splice(0, MAX_BATCH));
    if (this.pending.length > 0) setImmediate(() => this.flush());
  }

  /** Runs a batch in the begun transaction and commits it; settles each write's promise. */
  private commit(batch: PendingWrite[]): void {
    const results = batch.map((w) => this.runOne(w));
    try {
      this.runCommitHooks();
      this.prepared('COMMIT').run();
    } catch (err) {
      this.rollback();
      batch.forEach((w) => w.reject(err));
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i];
      if (r.ok) w.resolve(r.value);
      else w.reject(r.error);
    });
  }

  /** Flushes again shortly, backing off (1, 2, 4, then 8 ms). */
  private retryLater(): void {
    this.busyDelay = Math.min(this.busyDelay * 2 || 1, 8);
    this.flushAfter(new Promise((resolve) => setTimeout(resolve, this.busyDelay)));
  }

  /** Flushes again once `wait` resolves; writes queued meanwhile join that flush. */
  private flushAfter(wait: Promise<unknown>): void {
    this.flushing = true;
    void wait.then(() => {
      this.flushing = false;
      this.flush();
    });
  }

  private rejectPending(err: unknown): void {
    const batch = this.pending;
    this.pending = [];
    batch.forEach((w) => w.reject(err));
  }

  /** After a failed COMMIT; a failing ROLLBACK (the connection is gone) changes nothing more. */
  private rollback(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // Nothing to undo: SQLite rolled the transaction back itself.
    }
  }

  /** True once this turn's transaction has begun; false when another process holds the lock. */
  private begin(): boolean {
    try {
      this.prepared('BEGIN IMMEDIATE').run();
      return true;
    } catch (err) {
      if (!isBusy(err)) throw err;
      return false;
    }
  }

  /** A write's first change may throw (a constraint); it then has changed nothing. */
  private runOne(w: PendingWrite): { ok: true; value: unknown } | { ok: false; error: Error } {
    try {
      return { ok: true, value: w.run() };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  /** Resolves once no write is queued any more (waiting OPEN_BUSY_MS at most). */
  private async drained(): Promise<void> {
    if (!this.flushing) this.flush();
    const until = Date.now() + OPEN_BUSY_MS;
    while ((this.pending.length > 0 || this.flushing) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
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

  /** Commits what is still queued (waiting out another process's lock), then closes. */
  async close(): Promise<void> {
    await this.drained();
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    if (this.db.open) this.db.close();
  }
}
