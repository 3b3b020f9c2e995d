import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqliteDatabase } from './sqlite-database';

const MB = 1024 * 1024;

describe('SqliteDatabase', () => {
  let dir: string;
  let database: SqliteDatabase;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-sqlite-'));
    database = new SqliteDatabase(join(dir, 'db.sqlite'));
    database.db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)');
  });

  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (n: number) =>
    database.write(() => database.prepared('INSERT INTO t VALUES (?)').run(n));
  const count = () => (database.db.prepare('SELECT COUNT(*) AS c FROM t').get() as { c: number }).c;

  it('should commit a turn’s writes together and reject only the one that failed', async () => {
    const results = await Promise.allSettled([insert(1), insert(1), insert(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(count()).toBe(2);
  });

  it('should commit a burst in slices of at most 512 writes, in order', async () => {
    const batches: number[] = [];
    database.beforeCommit(() => batches.push(count()));
    await Promise.all(Array.from({ length: 1200 }, (_, n) => insert(n)));
    expect(batches).toEqual([512, 1024, 1200]);
  });

  it('should wait for another process’s write lock, then commit', async () => {
    const other = new Database(database.file);
    other.exec('BEGIN IMMEDIATE');
    let done = false;
    const write = insert(7).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 60));
    expect(done).toBe(false);
    other.exec('COMMIT');
    other.close();
    await write;
    expect(count()).toBe(1);
  });

  it('should commit the writes still waiting for another process’s lock before it closes', async () => {
    const other = new Database(database.file);
    other.exec('BEGIN IMMEDIATE');
    const write = insert(8);
    await new Promise((r) => setTimeout(r, 30));
    const closed = database.close();
    setTimeout(() => other.exec('COMMIT'), 100);
    await expect(write).resolves.toBeDefined();
    await closed;
    const rows = other.prepare('SELECT n FROM t').all();
    other.close();
    expect(rows).toEqual([{ n: 8 }]);
  });

  it('should reject the writes, not throw from its timer, when BEGIN fails otherwise', async () => {
    const prepared = database.prepared.bind(database);
    const spy = jest.spyOn(database, 'prepared').mockImplementation((sql: string) => {
      if (sql !== 'BEGIN IMMEDIATE') return prepared(sql);
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    });
    await expect(insert(1)).rejects.toThrow('disk I/O error');
    spy.mockRestore();
    await insert(2); // the connection keeps working
    expect(count()).toBe(1);
  });

  it('should run commit hooks inside each batch, and roll the batch back when one throws', async () => {
    let batches = 0;
    let fail = false;
    database.beforeCommit(() => {
      batches += 1;
      database.prepared('INSERT INTO t VALUES (?)').run(100 + batches);
      if (fail) throw new Error('hook failed');
    });
    await Promise.all([insert(1), insert(2)]);
    expect(batches).toBe(1);
    expect(count()).toBe(3);
    fail = true;
    await expect(insert(3)).rejects.toThrow('hook failed');
    expect(count()).toBe(3);
  });

  it('should run every commit hook when an earlier one throws, and throw the first failure', async () => {
    const ran: string[] = [];
    database.beforeCommit(() => {
      ran.push('first');
      throw new Error('first failed');
    });
    database.beforeCommit(() => {
      ran.push('second');
      throw new Error('second failed');
    });
    database.beforeCommit(() => ran.push('third'));
    await expect(insert(1)).rejects.toThrow('first failed');
    expect(ran).toEqual(['first', 'second', 'third']);
    expect(count()).toBe(0);
  });

  it('should open and migrate while another process holds the write lock mid-migration', async () => {
    const file = join(dir, 'racing.sqlite');
    const other = holdWriteLock(
      file,
      `CREATE TABLE component_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
       CREATE TABLE a (x); INSERT INTO component_versions VALUES ('c', 1);`,
      300,
    );
    await other.locked;
    const racing = new SqliteDatabase(file);
    racing.migrate('c', ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    const version = racing.db.prepare('SELECT version FROM component_versions').get();
    const tables = racing.db
      .prepare("SELECT name FROM sqlite_master WHERE name IN ('a', 'b')")
      .all();
    await racing.close();
    await other.done;
    expect(version).toEqual({ version: 2 });
    expect(tables).toHaveLength(2);
  });

  it('should turn a new file to WAL while another process writes to it in rollback mode', async () => {
    const file = join(dir, 'fresh.sqlite');
    const other = holdWriteLock(file, 'CREATE TABLE first (x)', 300, 'DELETE');
    await other.locked;
    const opened = new SqliteDatabase(file);
    await other.done;
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await opened.close();
  });

  it('should apply each migration once when another process migrates the same file at once', async () => {
    const other = holdWriteLock(
      database.file,
      "CREATE TABLE a (x); INSERT INTO component_versions VALUES ('c', 1);",
      300,
    );
    await other.locked;
    database.migrate('c', ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    await other.done;
    const version = database.db.prepare(
      "SELECT version FROM component_versions WHERE component = 'c'",
    );
    expect(version.get()).toEqual({ version: 2 });
  });

  it('should stop the WAL file growing while writes never pause', async () => {
    const file = join(dir, 'busy.sqlite');
    const busy = new SqliteDatabase(file, { everyMs: 20, restartFrames: 64 });
    busy.db.exec('CREATE TABLE blobs (b BLOB)');
    const blob = Buffer.alloc(4096, 1);
    const add = () => busy.write(() => busy.prepared('INSERT INTO blobs VALUES (?)').run(blob));
    const count = () =>
      (busy.db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n;
    const writeFor = async (ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until;) await Promise.all([add(), add()]);
    };
    await new Promise((r) => setTimeout(r, 500)); // the checkpointer's thread starts
    await writeFor(300);
    const [walBefore, rowsBefore] = [statSync(`${file}-wal`).size, count()];
    await writeFor(1000);
    const [walAfter, rowsAfter] = [statSync(`${file}-wal`).size, count()];
    await busy.close();
    const written = (rowsAfter - rowsBefore) * 4096;
    expect(written).toBeGreaterThan(10 * MB);
    // A log that never restarts grows by more than what was written (pages of the table too).
    expect(walAfter - walBefore).toBeLessThan(written / 4);
  });

  it('should refuse a file whose schema is newer than the build knows', () => {
    database.migrate('c', ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    expect(() => database.migrate('c', ['CREATE TABLE a (x)'])).toThrow(
      'was written by a newer Darkroom (c schema 2, this build knows 1)',
    );
  });

  it('should resume writing the moment a log restart ends, on no timer of its own', async () => {
    const file = join(dir, 'frozen-clock.sqlite');
    const busy = new SqliteDatabase(file, { everyMs: 20, restartFrames: 64 });
    busy.db.exec('CREATE TABLE blobs (b BLOB)');
    await new Promise((r) => setTimeout(r, 300)); // the checkpointer's thread starts
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const blob = Buffer.alloc(4096, 1);
      let largest = 0;
      for (let i = 1; i <= 20_000; i++) {
        await busy.write(() => busy.prepared('INSERT INTO blobs VALUES (?)').run(blob));
        if (i % 500 === 0) largest = Math.max(largest, statSync(`${file}-wal`).size);
      }
      expect(largest).toBeLessThan(60 * MB); // 80 MB written: the log did restart meanwhile
    } finally {
      jest.useRealTimers();
      await busy.close();
    }
  }, 20_000);

  it('should reject writes queued on a closed connection', async () => {
    database.db.close();
    await expect(insert(1)).rejects.toThrow('the database is closed');
  });
});

/**
 * Another process starting on `file`: a thread that opens it (in `journal` mode), runs `sql` in
 * a write transaction and holds the lock for `holdMs` before it commits.
 */
function holdWriteLock(file: string, sql: string, holdMs: number, journal = 'WAL') {
  const source = `
    const { parentPort, workerData: w } = require('node:worker_threads');
    const db = new (require(w.driver))(w.file);
    db.pragma('journal_mode = ' + w.journal);
    db.exec('BEGIN IMMEDIATE');
    db.exec(w.sql);
    parentPort.postMessage('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, w.holdMs);
    db.exec('COMMIT');
    db.close();`;
  const driver = require.resolve('better-sqlite3');
  const workerData = { file, sql, holdMs, driver, journal };
  const worker = new Worker(source, { eval: true, workerData });
  const locked = new Promise<void>((resolve) => worker.once('message', () => resolve()));
  const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return { locked, done };
}
